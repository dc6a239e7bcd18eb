#!/usr/bin/env bash
# jpull vs skopeo vs containerd on a simulated wide-area link (issue 11). One command, as root, on loopback only:
#
#   bench/wan.sh [SCENARIO...]     scenarios: good closed hang stall slow (default: all)
#
# Starts a local distribution registry and, in front of it, WanProxy processes (testdata: one-way DELAY_MS each way,
# RATE_MBIT per endpoint, pipelining preserved). The "good" endpoint is a WanProxy to the registry, and the image
# reference names it, so it is "the registry itself" for every tool. Each scenario puts another endpoint first:
#   good    none (the good endpoint only)
#   closed  a closed port
#   hang    a WanProxy that accepts and never answers
#   stall   a WanProxy that sends headers and half of every big body, then nothing
#   slow    a WanProxy at a tenth of RATE_MBIT, working
# jpull gets the endpoints as a registries.yaml mirror list, skopeo as a registries.conf mirror, containerd
# (`ctr content fetch`, a fresh containerd root per run so nothing is shared between runs) as a hosts.toml
# [host] before `server`. Images: small (1 MiB layer), five (5 x 8 MiB layers). Tools alternate; every run is
# bounded by TIMEOUT seconds (a run that hits it is counted as such) and every finished pull's digest is checked
# against `skopeo inspect`'s. Prints median [min..max] wall seconds per scenario, image and tool.
#
# Environment: RUNS (per tool, default 3), DELAY_MS (one way, default 20: a 40 ms round trip), RATE_MBIT (default
# 100), TIMEOUT (default 30), IMAGES (default "small five"), BENCH_TMP (scratch parent).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=${RUNS:-3}
DELAY_MS=${DELAY_MS:-20}
RATE_MBIT=${RATE_MBIT:-100}
TIMEOUT=${TIMEOUT:-30}
read -r -a images <<< "${IMAGES:-small five}"
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(good closed hang stall slow)

need=()
for p in docker-registry skopeo containerd ctr mvn java; do command -v "$p" >/dev/null || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  echo "bench: missing ${need[*]} (apt-get install docker-registry skopeo containerd maven openjdk-17-jdk-headless)" >&2
  exit 1
fi
[ "$(id -u)" = 0 ] || { echo "bench: run as root (containerd)" >&2; exit 1; }

work="$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/jpull-wan.XXXXXX")"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# shellcheck source=bench/registry.sh
. "$root/bench/registry.sh"

echo "bench: building jpull and the test fixtures" >&2
"$root/jpull" --version >/dev/null
(cd "$root" && mvn -B -q -o -pl testdata compile 2>/dev/null || mvn -B -q -pl testdata compile) >&2
fixtures="$root/testdata/target/classes"

start_registry
pids+=("$reg_pid")

# wan PORT MODE RATE: a WanProxy on PORT in front of the registry.
wan() {
  java -cp "$fixtures" dev.jpull.testdata.WanProxy --listen "$1" --target "$registry" --delay-ms "$DELAY_MS" \
    --rate-mbit "$3" --mode "$2" >/dev/null 2>"$work/wan-$1.log" &
  pids+=($!)
  wait_port "$1"
}

good_port=$(free_port); wan "$good_port" good "$RATE_MBIT"
good="127.0.0.1:$good_port"

# shellcheck source=bench/images.sh
. "$root/bench/images.sh"
make_five() {
  new_image five
  local i
  for i in 1 2 3 4 5; do random_tar "$work/f$i.tar" $((8 * MIB)); add_layer "$work/f$i.tar"; done
  push_image
}
echo "bench: generating images" >&2
for img in "${images[@]}"; do "make_$img"; done
declare -A digest
for img in "${images[@]}"; do
  digest[$img]=$(skopeo inspect --tls-verify=false "docker://$registry/bench/$img:1" | sed -n 's/.*"Digest": "\(.*\)".*/\1/p' | head -1)
done

# first_endpoint SCENARIO: starts what the scenario puts first; prints its host:port (empty for "good").
first_endpoint() {
  local port
  case $1 in
    good) echo "" ;;
    closed) port=$(free_port); echo "127.0.0.1:$port" ;;
    hang) port=$(free_port); wan "$port" never-answer "$RATE_MBIT"; echo "127.0.0.1:$port" ;;
    stall) port=$(free_port); wan "$port" stall-mid-body "$RATE_MBIT"; echo "127.0.0.1:$port" ;;
    slow) port=$(free_port); wan "$port" good "$(awk "BEGIN {print $RATE_MBIT / 10}")"; echo "127.0.0.1:$port" ;;
  esac
}

# configs FIRST DIR: registries.yaml (jpull), registries.conf (skopeo) and a hosts dir (containerd) in DIR.
configs() {
  local first=$1 dir=$2
  mkdir -p "$dir/hosts/$good"
  {
    echo "mirrors:"; echo "  \"$good\":"; echo "    endpoint:"
    [ -z "$first" ] || echo "      - \"http://$first\""
    echo "      - \"http://$good\""
  } > "$dir/registries.yaml"
  {
    echo "[[registry]]"; echo "location = \"$good\""; echo "insecure = true"
    if [ -n "$first" ]; then echo "[[registry.mirror]]"; echo "location = \"$first\""; echo "insecure = true"; fi
  } > "$dir/registries.conf"
  {
    echo "server = \"http://$good\""
    if [ -n "$first" ]; then echo "[host.\"http://$first\"]"; echo "  capabilities = [\"pull\", \"resolve\"]"; fi
  } > "$dir/hosts/$good/hosts.toml"
}

# start_containerd DIR: a private containerd with a fresh root in DIR (started before the timed run).
start_containerd() {
  local dir=$1
  mkdir -p "$dir"
  cat > "$dir/config.toml" <<TOML
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$dir/c.sock"
[ttrpc]
  address = "$dir/c.sock.ttrpc"
TOML
  containerd --config "$dir/config.toml" >"$dir/log" 2>&1 &
  ctd_pid=$!
  for _ in $(seq 200); do ctr -a "$dir/c.sock" version >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "bench: containerd did not start: $(tail -5 "$dir/log")" >&2
  return 1
}

results="$work/results"
: > "$results"
# run TOOL SCENARIO IMAGE FIRST N
run() {
  local tool=$1 scenario=$2 img=$3 first=$4 n=$5 dir="$work/run-$1-$2-$3-$5" ref="$good/bench/$3:1" start end rc got
  mkdir -p "$dir"
  configs "$first" "$dir"
  case $tool in
    ctr) start_containerd "$dir/ctd" ;;
  esac
  start=$(date +%s.%N)
  set +e
  case $tool in
    jpull) timeout "$TIMEOUT" "$root/jpull" --store "$dir/store" -c "$dir/registries.yaml" -o json "$ref" \
             >"$dir/out" 2>"$dir/err" ;;
    skopeo) timeout "$TIMEOUT" skopeo --registries-conf "$dir/registries.conf" copy -q --src-tls-verify=false \
              "docker://$ref" "oci:$dir/oci:x" >"$dir/out" 2>"$dir/err" ;;
    ctr) timeout "$TIMEOUT" ctr -a "$dir/ctd/c.sock" -n wan content fetch --hosts-dir "$dir/hosts" "$ref" \
           >"$dir/out" 2>"$dir/err" ;;
  esac
  rc=$?
  set -e
  end=$(date +%s.%N)
  if [ "$rc" = 0 ]; then
    case $tool in
      jpull) got=$(sed -n 's/.*"digest" *: *"\([^"]*\)".*/\1/p' "$dir/out" | head -1) ;;
      skopeo) got=$(skopeo inspect "oci:$dir/oci:x" 2>/dev/null | sed -n 's/.*"Digest": "\(.*\)".*/\1/p' | head -1)
              # skopeo inspect of an oci: layout reports the manifest it stored: the same single-platform digest
              ;;
      ctr) got=$(ctr -a "$dir/ctd/c.sock" -n wan images ls 2>/dev/null | awk -v r="$ref" '$1 == r {print $3}')
           [ -n "$got" ] || got=${digest[$img]} # content fetch records no image in 1.6: its exit code says it verified
           ;;
    esac
    if [ "$got" != "${digest[$img]}" ]; then
      echo "bench: $tool $scenario $img: digest $got, expected ${digest[$img]}" >&2
      rc=99
    fi
  fi
  if [ "$rc" != 0 ] && [ "$rc" != 124 ]; then
    echo "bench: $tool $scenario $img failed ($rc): $(head -c 400 "$dir/err")" >&2
  fi
  if [ "$tool" = ctr ]; then kill "$ctd_pid" 2>/dev/null; wait "$ctd_pid" 2>/dev/null || true; fi
  [ "$n" = 0 ] || echo "$scenario $img $tool $rc $(awk "BEGIN {print $end - $start}")" >> "$results"
  rm -rf "$dir"
}

for scenario in "${scenarios[@]}"; do
  first=$(first_endpoint "$scenario")
  for img in "${images[@]}"; do
    echo "bench: $scenario $img: $RUNS runs of each tool, alternating" >&2
    for n in $(seq 0 "$RUNS"); do
      if [ $((n % 2)) = 0 ]; then order=(jpull skopeo ctr); else order=(ctr skopeo jpull); fi
      for tool in "${order[@]}"; do run "$tool" "$scenario" "$img" "$first" "$n"; done
    done
  done
done

echo
echo "machine: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB RAM; link: ${DELAY_MS} ms each way, ${RATE_MBIT} Mbit/s per endpoint; runs per tool: $RUNS (after 1 warm-up); timeout ${TIMEOUT} s"
echo "$(java -version 2>&1 | head -1); $(skopeo --version); $(containerd --version | cut -d' ' -f3)"
echo
printf '%-8s %-6s %-26s %-26s %-26s\n' scenario image jpull skopeo "containerd (ctr)"
for scenario in "${scenarios[@]}"; do
  for img in "${images[@]}"; do
    line=$(printf '%-8s %-6s' "$scenario" "$img")
    for tool in jpull skopeo ctr; do
      cell=$(awk -v s="$scenario" -v i="$img" -v t="$tool" '$1 == s && $2 == i && $3 == t {
          if ($4 == 0) ok[++n] = $5; else if ($4 == 124) to++; else bad++ }
        END {
          if (n == 0) { printf "%s", (to ? to " timed out" : "") (bad ? " " bad " failed" : ""); exit }
          for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) if (ok[b] < ok[a]) { x = ok[a]; ok[a] = ok[b]; ok[b] = x }
          med = n % 2 ? ok[(n + 1) / 2] : (ok[n / 2] + ok[n / 2 + 1]) / 2
          printf "%.2f [%.2f..%.2f]%s%s", med, ok[1], ok[n], (to ? " +" to " t/o" : ""), (bad ? " +" bad " failed" : "") }' "$results")
      line+=$(printf ' %-26s' "$cell")
    done
    echo "$line"
  done
done
