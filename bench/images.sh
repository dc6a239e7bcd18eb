# Image generation for bench/run.sh (sourced, not run). Needs: $work (scratch dir), $registry (host:port),
# bash, coreutils, tar, gzip, skopeo. Each image is written as an OCI layout, pushed with skopeo, then deleted.

case "$(uname -m)" in aarch64) bench_arch=arm64 ;; *) bench_arch=amd64 ;; esac
MIB=$((1024 * 1024))

# new_image NAME: starts an OCI layout for image NAME.
new_image() {
  img_name=$1
  img_dir="$work/layout-$1"
  img_layers=""
  img_diffs=""
  rm -rf "$img_dir"
  mkdir -p "$img_dir/blobs/sha256"
}

# add_blob FILE: moves FILE into the layout; sets blob_digest and blob_size.
add_blob() {
  blob_digest=$(sha256sum "$1" | cut -d' ' -f1)
  blob_size=$(stat -c %s "$1")
  mv -f "$1" "$img_dir/blobs/sha256/$blob_digest"
}

# add_layer TAR [gzip|tar]: adds TAR as a layer, gzip-compressed (default, gzip -6) or uncompressed.
add_layer() {
  local tar=$1 kind=${2:-gzip} diff media
  diff=$(sha256sum "$tar" | cut -d' ' -f1)
  if [ "$kind" = gzip ]; then
    gzip -n -6 "$tar"
    tar="$tar.gz"
    media=application/vnd.oci.image.layer.v1.tar+gzip
  else
    media=application/vnd.oci.image.layer.v1.tar
  fi
  add_blob "$tar"
  img_layers="$img_layers${img_layers:+,}{\"mediaType\":\"$media\",\"digest\":\"sha256:$blob_digest\",\"size\":$blob_size}"
  img_diffs="$img_diffs${img_diffs:+,}\"sha256:$diff\""
  echo "bench:   $img_name layer $media $((blob_size / MIB)) MiB" >&2
}

# tree_tar OUT DIR...: a tar of real directory trees (unreadable files are skipped).
tree_tar() {
  local out=$1; shift
  tar --ignore-failed-read --warning=none --mtime=@0 --owner=0 --group=0 -cf "$out" "$@" 2>/dev/null || true
}

# random_tar OUT BYTES: a tar holding one file of random (incompressible) bytes.
random_tar() {
  local d="$work/rand.$$"
  mkdir -p "$d"
  head -c "$2" /dev/urandom > "$d/random.bin"
  tar --mtime=@0 --owner=0 --group=0 -C "$d" -cf "$1" random.bin
  rm -rf "$d"
}

# push_image: writes config, manifest and index, pushes to $registry/bench/NAME:1, deletes the layout.
push_image() {
  local manifest
  printf '{"architecture":"%s","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
    "$bench_arch" "$img_diffs" > "$work/config.json"
  add_blob "$work/config.json"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
    "$blob_digest" "$blob_size" "$img_layers" > "$work/manifest.json"
  add_blob "$work/manifest.json"
  manifest=$blob_digest
  printf '{"imageLayoutVersion":"1.0.0"}' > "$img_dir/oci-layout"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}' \
    "$manifest" "$blob_size" "$img_name" > "$img_dir/index.json"
  skopeo copy -q --dest-tls-verify=false "oci:$img_dir:$img_name" "docker://$registry/bench/$img_name:1" >&2
  echo "bench:   pushed $registry/bench/$img_name:1 ($(du -sm "$img_dir" | cut -f1) MiB)" >&2
  rm -rf "$img_dir"
}

# The large image: two real directory trees (gzip), a small one (gzip), two incompressible layers sized so the
# image is at least LARGE_MIB (default 554) MiB, each at least 100 MiB.
make_large() {
  local target=$(( ${LARGE_MIB:-554} * MIB )) have=0 rand jvm
  new_image large
  # the JDK that runs jpull (about 260 MiB for OpenJDK 17)
  jvm=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  tree_tar "$work/l1.tar" "$jvm"; add_layer "$work/l1.tar"; have=$((have + blob_size))
  tree_tar "$work/l2.tar" /usr/share; add_layer "$work/l2.tar"; have=$((have + blob_size))
  tree_tar "$work/l3.tar" /etc; add_layer "$work/l3.tar"; have=$((have + blob_size))
  rand=$(( (target - have) / 2 ))
  [ "$rand" -ge $((100 * MIB)) ] || rand=$((100 * MIB))
  random_tar "$work/l4.tar" "$rand"; add_layer "$work/l4.tar"
  random_tar "$work/l5.tar" "$rand"; add_layer "$work/l5.tar"
  push_image
}

# The small image: one gzip layer of about 1 MiB (random bytes, so the compressed size stays 1 MiB).
make_small() {
  new_image small
  random_tar "$work/s1.tar" "$MIB"; add_layer "$work/s1.tar"
  push_image
}

# The huge-layer image: one uncompressed 1 GiB layer of random bytes (peak RSS check).
make_huge() {
  new_image huge
  random_tar "$work/h1.tar" $((1024 * MIB)); add_layer "$work/h1.tar" tar
  push_image
}
