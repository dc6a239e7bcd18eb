#!/usr/bin/env bash
# containerd pulling directly vs through jpull serve (see BENCHMARKS.md, "Through jpull serve"). As root:
#
#   bench/serve.sh              (also: bench/run.sh serve)
#
# Starts a local distribution registry on loopback and pushes bench/images.sh's large image (IMAGE=small for a
# quick check). The upstream is that registry, or with DELAY_MS > 0 a simulated wide-area link in front of it
# (testdata WanProxy: DELAY_MS each way, RATE_MBIT shared by every connection). Then RUNS (default 3) rounds of
#   direct: ctr -n N images pull --hosts-dir DIRECT REF            (the upstream only)
#   cold:   the same with HOSTS listing jpull serve first, its store empty (every blob from upstream)
#   warm:   the same again right after, containerd fresh, jpull serve's store holding the image
# after one warm-up of each (a new jpull serve is warmed up with a pull of the small image before it is measured,
# as a node's long-running one is); direct runs first in odd rounds, last in even ones (cold is always followed by warm).
# Every pull goes to a private containerd started for it alone (fresh root; its start-up is not timed), and is
# checked: `ctr images ls` shows REF with skopeo's digest and `ctr images check` says complete. jpull serve is
# started before the timed pull (a fresh one, with an empty store, for each cold pull; its start-up is not timed).
# Prints "MODE N WALL_S" per run, median [min..max] per mode, and the cold/direct and warm/direct ratios.
#
# Environment: RUNS (default 3), IMAGE (large or small, default large), UNPACK (1: images pull, 0: content fetch;
# default 1), DELAY_MS (default 0), RATE_MBIT (default 100), LARGE_MIB (bench/images.sh), BENCH_TMP (scratch parent).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=${RUNS:-3}
IMAGE=${IMAGE:-large}
UNPACK=${UNPACK:-1}
DELAY_MS=${DELAY_MS:-0}
RATE_MBIT=${RATE_MBIT:-100}
[ "$(id -u)" = 0 ] || { echo "bench: run as root (containerd)" >&2; exit 1; }
need=()
for p in docker-registry skopeo containerd ctr mvn java curl; do command -v "$p" >/dev/null || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  echo "bench: missing ${need[*]} (apt-get install docker-registry skopeo containerd maven openjdk-17-jdk-headless)" >&2
  exit 1
fi

work="$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/jpull-serve.XXXXXX")"
reg_pid=""; ctd_pid=""; ctd_dir=""; serve_pid=""; proxy_pid=""
stop_serve() {
  if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  serve_pid=""
}
cleanup() {
  stop_containerd; stop_serve
  for p in "$proxy_pid" "$reg_pid"; do [ -z "$p" ] || kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "bench: building jpull" >&2
"$root/jpull" --version >/dev/null
# shellcheck source=bench/registry.sh
. "$root/bench/registry.sh"
start_registry
# shellcheck source=bench/images.sh
. "$root/bench/images.sh"
echo "bench: generating the $IMAGE image (and the small one, to warm jpull serve up) in $work" >&2
"make_$IMAGE"
[ "$IMAGE" = small ] || make_small
ref="$registry/bench/$IMAGE:1"
digest=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$ref")
echo "bench: $ref is $digest" >&2

upstream=$registry
if [ "$DELAY_MS" != 0 ]; then
  (cd "$root" && mvn -B -q -o -pl testdata compile 2>/dev/null || mvn -B -q -pl testdata compile) >&2
  port=$(free_port)
  java -cp "$root/testdata/target/classes" dev.jpull.testdata.WanProxy --target "$registry" --delay-ms "$DELAY_MS" \
    --uplink-mbit "$RATE_MBIT" --listen "$port" --rate-mbit 0 >/dev/null 2>"$work/wan.log" &
  proxy_pid=$!
  wait_port "$port"
  upstream="127.0.0.1:$port"
  echo "bench: upstream is a WanProxy at $upstream ($DELAY_MS ms each way, $RATE_MBIT Mbit/s shared)" >&2
fi

# hosts DIR [MIRROR]: a hosts dir for the image's registry: MIRROR (jpull serve) first when given, then upstream.
hosts() {
  mkdir -p "$1/$registry"
  { echo "server = \"http://$upstream\""
    [ -z "${2:-}" ] || printf '[host."http://%s"]\n  capabilities = ["pull", "resolve"]\n' "$2"
    printf '[host."http://%s"]\n  capabilities = ["pull", "resolve"]\n' "$upstream"; } > "$1/$registry/hosts.toml"
}
hosts "$work/direct"
hosts "$work/upstream-hosts"   # jpull serve's own configuration: the upstream only

# start_serve: a jpull serve with an empty store on a free port; sets $serve_addr.
start_serve() {
  stop_serve
  rm -rf "$work/serve-store"
  "$root/jpull" serve --listen 127.0.0.1:0 --hosts-dir "$work/upstream-hosts" --store "$work/serve-store" \
    2>"$work/serve.log" &
  serve_pid=$!
  for _ in $(seq 300); do
    serve_addr=$(sed -n 's|^jpull serve: listening on http://||p' "$work/serve.log")
    [ -z "$serve_addr" ] || break
    kill -0 "$serve_pid" 2>/dev/null || { echo "bench: jpull serve exited:" >&2; cat "$work/serve.log" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$serve_addr" ] || { echo "bench: jpull serve did not start" >&2; exit 1; }
  rm -rf "$work/via"; hosts "$work/via" "$serve_addr"
  # a node's jpull serve runs long before a pull: warm this one up (JIT, its upstream connection and https-first
  # probe) with another image, the small one, so that the cold pull measures the hop, not the JVM's start
  local ns="ns=${registry/:/%3A}" m
  m=$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$serve_addr/v2/bench/small/manifests/1?$ns") || { echo "bench: warm-up of jpull serve failed" >&2; exit 1; }
  for d in $(grep -o 'sha256:[0-9a-f]\{64\}' <<<"$m"); do
    curl -sf -o /dev/null "http://$serve_addr/v2/bench/small/blobs/$d?$ns" || true
  done
}

ctr_cmd=(images pull); [ "$UNPACK" != 0 ] || ctr_cmd=(content fetch)
results="$work/results"; : > "$results"
# run MODE N: one pull into a fresh containerd, checked; N=0 is the warm-up (not recorded).
run() {
  local mode=$1 n=$2 dir out
  [ "$mode" != cold ] || start_serve
  dir="$work/direct"; [ "$mode" = direct ] || dir="$work/via"
  start_containerd "$work/ctd-$mode-$n"
  sync
  if ! /usr/bin/time -o "$work/time" -f '%e' ctr --address "$ctd_dir/c.sock" -n "bench" "${ctr_cmd[@]}" \
      --hosts-dir "$dir" --plain-http "$ref" >"$work/stdout" 2>"$work/stderr"; then
    echo "bench: FAILED: $mode $n" >&2; cat "$work/stderr" >&2; tail -20 "$work/serve.log" >&2; exit 1
  fi
  out=$(ctr --address "$ctd_dir/c.sock" -n bench images ls)
  awk -v r="$ref" -v d="$digest" '$1 == r && $3 == d {ok = 1} END {exit !ok}' <<<"$out" ||
    { echo "bench: $mode $n: $ref with $digest not in ctr images ls:" >&2; echo "$out" >&2; exit 1; }
  ctr --address "$ctd_dir/c.sock" -n bench images check | grep -F "$ref" | grep -q " complete " ||
    { echo "bench: $mode $n: ctr images check says incomplete" >&2; exit 1; }
  stop_containerd
  if [ "$mode" != direct ]; then
    local store upstream_bytes
    store=$(grep -c 'source=store' "$work/serve.log" || true)
    upstream_bytes=$(awk '/ source=http/ {for (i = 1; i <= NF; i++) if ($i ~ /^bytes=/) s += substr($i, 7)} END {print s + 0}' "$work/serve.log")
    echo "bench:   $mode $n: jpull serve log so far: $store answers from its store, $upstream_bytes bytes from upstream" >&2
  fi
  [ -z "${SHOW_LOG:-}" ] || [ "$mode" = direct ] || sed "s/^/bench:     /" "$work/serve.log" >&2
  [ "$n" = 0 ] || awk -v m="$mode" -v n="$n" '{printf "%s %s %.2f\n", m, n, $1}' "$work/time" | tee -a "$results"
}

echo "bench: warm-up, then $RUNS rounds of direct, cold and warm" >&2
run direct 0; run cold 0; run warm 0
for n in $(seq "$RUNS"); do
  if [ $((n % 2)) = 1 ]; then run direct "$n"; run cold "$n"; run warm "$n"
  else run cold "$n"; run warm "$n"; run direct "$n"; fi
done

echo
echo "machine: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(containerd --version | cut -d' ' -f1,3); image $ref; ctr ${ctr_cmd[*]}; upstream: $([ "$DELAY_MS" = 0 ] && echo loopback || echo "WanProxy ${DELAY_MS} ms each way, ${RATE_MBIT} Mbit/s"); runs per mode: $RUNS (after 1 warm-up)"
declare -A med
for mode in direct cold warm; do
  read -r m lo hi <<<"$(awk -v t="$mode" '$1 == t {print $3}' "$results" | sort -g |
    awk '{a[NR] = $1} END {m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; print m, a[1], a[NR]}')"
  med[$mode]=$m
  printf '%-7s wall s %.2f [%.2f..%.2f]\n' "$mode" "$m" "$lo" "$hi"
done
awk -v c="${med[cold]}" -v w="${med[warm]}" -v d="${med[direct]}" \
  'BEGIN {printf "cold/direct %.2f (overhead of the extra hop %+.0f %%; target < 10 %%)\nwarm/direct %.2f\n", c / d, (c / d - 1) * 100, w / d}'
