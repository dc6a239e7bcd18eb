#!/usr/bin/env bash
# Self-contained demo: starts a local distribution registry, pushes a small generated image with skopeo, then
# pulls it with jpull through a registries.yaml whose first mirror endpoint is dead. jpull prints the failover
# trace on stderr and the digest on stdout; skopeo confirms the digest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

need=()
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v skopeo >/dev/null || need+=(skopeo)
command -v mvn >/dev/null || need+=(maven)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
if [ ${#need[@]} -gt 0 ]; then
  echo "demo: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}" >&2
fi

work="$(mktemp -d)"
reg_pid=""
cleanup() { [ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

free_port() {
  local p
  while :; do
    p=$(( (RANDOM % 30000) + 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}
port="$(free_port)"
dead="$(free_port)"
while [ "$dead" = "$port" ]; do dead="$(free_port)"; done

cat > "$work/registry.yml" <<YAML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $work/storage}}
http: {addr: 127.0.0.1:$port, secret: jpull-demo}
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
reg_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

# A one-layer OCI image for this host's architecture, written as an OCI layout.
layout="$work/layout"; mkdir -p "$layout/blobs/sha256" "$work/rootfs"
put() { local d; d=$(sha256sum "$1" | cut -d' ' -f1); cp "$1" "$layout/blobs/sha256/$d"; echo "$d"; }
echo "hello from the jpull demo" > "$work/rootfs/hello.txt"
tar --mtime=@0 --owner=0 --group=0 -C "$work/rootfs" -cf "$work/layer.tar" hello.txt
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
gzip -n -c "$work/layer.tar" > "$work/layer.tar.gz"
layer=$(put "$work/layer.tar.gz"); layer_size=$(stat -c %s "$work/layer.tar.gz")
case "$(uname -m)" in aarch64) arch=arm64 ;; *) arch=amd64 ;; esac
printf '{"architecture":"%s","os":"linux","config":{"Cmd":["cat","/hello.txt"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
  "$arch" "$diff_id" > "$work/config.json"
config=$(put "$work/config.json"); config_size=$(stat -c %s "$work/config.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
  "$config" "$config_size" "$layer" "$layer_size" > "$work/manifest.json"
manifest=$(put "$work/manifest.json"); manifest_size=$(stat -c %s "$work/manifest.json")
printf '{"imageLayoutVersion":"1.0.0"}' > "$layout/oci-layout"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"demo"}}]}' \
  "$manifest" "$manifest_size" > "$layout/index.json"

image="127.0.0.1:$port/demo/hello:1.0"
skopeo copy -q --dest-tls-verify=false "oci:$layout:demo" "docker://$image" >&2

cat > "$work/registries.yaml" <<YAML
mirrors:
  "127.0.0.1:$port":
    endpoint:
      - "http://127.0.0.1:$dead"   # nothing listens here: jpull fails over
      - "http://127.0.0.1:$port"
YAML

echo "== registries.yaml" >&2; cat "$work/registries.yaml" >&2
echo "== jpull resolve $image" >&2
"$root/jpull" --config "$work/registries.yaml" resolve "$image" >&2
echo "== jpull $image" >&2
"$root/jpull" --config "$work/registries.yaml" --store "$work/store" "$image"
echo "== skopeo inspect says: $(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$image")" >&2
