#!/usr/bin/env bash
# jpull vs skopeo vs containerd on a simulated wide-area link (issue 11). One command, as root, on loopback only:
#
#   bench/run.sh wan [SCENARIO...]   (or bench/wan.sh)   scenarios: good closed hang hang-again stall slow
#
# Starts a local distribution registry and, in front of it, one WanProxy process per scenario (testdata: one-way
# DELAY_MS each way, pipelining preserved, every endpoint behind one shared uplink of RATE_MBIT, as a node's link
# is). The "good" endpoint is a proxy to the registry, and the image reference names it, so it is "the registry
# itself" for every tool. Each scenario puts another endpoint first:
#   good        none (the good endpoint only)
#   closed      a closed port
#   hang        a proxy that accepts and never answers
#   hang-again  the same, for a pull that remembers an earlier pull's endpoint state (jpull only: the others keep
#               none; jpull's store/state/endpoints.json is seeded by an untimed pull into another store)
#   stall       a proxy that sends headers and half of every big body, then nothing
#   slow        a proxy at a tenth of RATE_MBIT (behind the same uplink), working
# jpull gets the endpoints as a registries.yaml mirror list, skopeo as a registries.conf mirror, containerd
# (`ctr content fetch`, a fresh containerd root per run so nothing is shared between runs) as a hosts.toml
# [host] before `server`. jpulld is jpull handing its pull to a `jpull daemon` started once for the whole run
# (docs/interface.md; the launcher, curl and the daemon's warm JVM instead of a JVM per pull, as ctr hands its
# pull to containerd; its stdout and stderr are a pipe, as the daemon needs). Images: small (1 MiB layer), five
# (5 x 8 MiB layers). Tools alternate; every run is
# bounded by TIMEOUT seconds (a run that hits it is counted as such) and every finished pull's digest is checked
# against `skopeo inspect`'s. Prints median [min..max] wall seconds per scenario, image and tool, then the
# targets of issue 11 with the measured ratios.
#
# Environment: RUNS (per tool, default 3), DELAY_MS (one way, default 20: a 40 ms round trip), RATE_MBIT (the
# shared uplink, default 100), TIMEOUT (default 30), IMAGES (default "small five"), TOOLS (default
# "jpull jpulld skopeo ctr"), BENCH_TMP (scratch parent), JPULL_ARGS (extra jpull options, e.g. "--hedge-delay 0"),
# BENCH_KEEP (a directory: the stderr of every failed or timed-out run is kept there), JPULL_CONFIG (yaml, the default: registries.yaml as K3s reads it, where a loopback registry without a [host]
# entry gets containerd's localhost default, https tried before http; or hosts-dir: ctr's own hosts.toml).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=${RUNS:-3}
DELAY_MS=${DELAY_MS:-20}
RATE_MBIT=${RATE_MBIT:-100}
TIMEOUT=${TIMEOUT:-30}
read -r -a images <<< "${IMAGES:-small five}"
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(good closed hang hang-again stall slow)
read -r -a tools <<< "${TOOLS:-jpull jpulld skopeo ctr}"
read -r -a jpull_args <<< "${JPULL_ARGS:-}"

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
daemon_sock="$work/daemon/daemon.sock"
if [[ " ${tools[*]} " == *" jpulld "* ]]; then
  JPULL_DAEMON=0 "$root/jpull" daemon --socket "$daemon_sock" 2>"$work/daemon.log" &
  pids+=($!)
  for _ in $(seq 600); do [ -S "$daemon_sock" ] && break; sleep 0.1; done
  [ -S "$daemon_sock" ] || { echo "bench: jpull daemon did not start: $(cat "$work/daemon.log")" >&2; exit 1; }
fi

start_registry
pids+=("$reg_pid")

# proxies GOOD_PORT [FIRST_PORT MODE RATE]: one WanProxy process for the good endpoint (and the scenario's first
# one), all behind one uplink of RATE_MBIT; replaces the previous scenario's process.
proxy_pid=""
proxies() {
  if [ -n "$proxy_pid" ]; then kill "$proxy_pid" 2>/dev/null || true; wait "$proxy_pid" 2>/dev/null || true; fi
  local args=(--target "$registry" --delay-ms "$DELAY_MS" --uplink-mbit "$RATE_MBIT" --listen "$1" --rate-mbit 0)
  [ $# -lt 4 ] || args+=(--listen "$2" --mode "$3" --rate-mbit "$4")
  java -cp "$fixtures" dev.jpull.testdata.WanProxy "${args[@]}" >/dev/null 2>"$work/wan-$1.log" &
  proxy_pid=$!
  pids+=("$proxy_pid")
  wait_port "$1"
  [ $# -lt 4 ] || wait_port "$2"
}

good_port=$(free_port)
good="127.0.0.1:$good_port"
proxies "$good_port"

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

# first_endpoint SCENARIO: starts what the scenario puts first (and the good endpoint again, behind the same uplink);
# sets "first" to its host:port (empty for "good").
first_endpoint() {
  local port
  first=""
  case $1 in
    good) proxies "$good_port" ;;
    closed) proxies "$good_port"; port=$(free_port); first="127.0.0.1:$port" ;;
    hang|hang-again) port=$(free_port); proxies "$good_port" "$port" never-answer 0; first="127.0.0.1:$port" ;;
    stall) port=$(free_port); proxies "$good_port" "$port" stall-mid-body 0; first="127.0.0.1:$port" ;;
    slow) port=$(free_port); proxies "$good_port" "$port" good "$(awk "BEGIN {print $RATE_MBIT / 10}")"
          first="127.0.0.1:$port" ;;
    *) echo "bench: unknown scenario $1 (good closed hang hang-again stall slow)" >&2; exit 2 ;;
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

results="$work/results"
: > "$results"
# run TOOL SCENARIO IMAGE FIRST N
run() {
  local tool=$1 scenario=$2 img=$3 first=$4 n=$5 dir="$work/run-$1-$2-$3-$5" ref="$good/bench/$3:1" start end rc got
  mkdir -p "$dir"
  configs "$first" "$dir"
  if [ "${JPULL_CONFIG:-yaml}" = hosts-dir ]; then jpull_config=(--hosts-dir "$dir/hosts"); else jpull_config=(-c "$dir/registries.yaml"); fi
  case $tool in
    ctr) start_containerd "$dir/ctd" ;;
  esac
  if [ "$scenario" = hang-again ]; then
    # an earlier pull (untimed, into another store) leaves what it saw of the endpoints in the state directory
    "$root/jpull" --store "$dir/earlier" "${jpull_config[@]}" -q "${jpull_args[@]}" "$ref" >/dev/null 2>&1 || true
    mkdir -p "$dir/store/state"
    cp "$dir/earlier/state/endpoints.json" "$dir/store/state/" 2>/dev/null || true
  fi
  start=$(date +%s.%N)
  set +e
  case $tool in
    jpull) JPULL_DAEMON=0 timeout "$TIMEOUT" "$root/jpull" --store "$dir/store" "${jpull_config[@]}" -o json \
             "${jpull_args[@]}" "$ref" >"$dir/out" 2>"$dir/err" ;;
    jpulld) JPULL_DAEMON_SOCKET=$daemon_sock timeout "$TIMEOUT" "$root/jpull" --store "$dir/store" \
              "${jpull_config[@]}" -o json "${jpull_args[@]}" "$ref" 2>&1 | cat >"$dir/out"
            daemon_rc=${PIPESTATUS[0]}; cp "$dir/out" "$dir/err" ;;
    skopeo) timeout "$TIMEOUT" skopeo --registries-conf "$dir/registries.conf" copy -q --src-tls-verify=false \
              "docker://$ref" "oci:$dir/oci:x" >"$dir/out" 2>"$dir/err" ;;
    ctr) timeout "$TIMEOUT" ctr -a "$dir/ctd/c.sock" -n wan content fetch --hosts-dir "$dir/hosts" "$ref" \
           >"$dir/out" 2>"$dir/err" ;;
  esac
  rc=$?
  if [ "$tool" = jpulld ]; then rc=$daemon_rc; fi
  set -e
  end=$(date +%s.%N)
  if [ "$rc" = 0 ]; then
    case $tool in
      jpull | jpulld) got=$(sed -n 's/.*"digest" *: *"\([^"]*\)".*/\1/p' "$dir/out" | head -1) ;;
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
  if [ "$rc" != 0 ] && [ -n "${BENCH_KEEP:-}" ]; then
    mkdir -p "$BENCH_KEEP" && cp "$dir/err" "$BENCH_KEEP/$tool-$scenario-$img-$n-rc$rc.err" 2>/dev/null || true
  fi
  if [ "$tool" = ctr ]; then kill "$ctd_pid" 2>/dev/null; wait "$ctd_pid" 2>/dev/null || true; fi
  [ "$n" = 0 ] || echo "$scenario $img $tool $rc $(awk "BEGIN {print $end - $start}")" >> "$results"
  rm -rf "$dir"
}

for scenario in "${scenarios[@]}"; do
  first_endpoint "$scenario"
  for img in "${images[@]}"; do
    echo "bench: $scenario $img: $RUNS runs of each tool, alternating" >&2
    for n in $(seq 0 "$RUNS"); do
      order=("${tools[@]}")
      if [ $((n % 2)) = 1 ]; then order=(); for ((k = ${#tools[@]} - 1; k >= 0; k--)); do order+=("${tools[k]}"); done; fi
      for tool in "${order[@]}"; do
        # with a memory, only jpull differs from "hang"; the others would only time out again
        if [ "$scenario" = hang-again ] && [ "$tool" != jpull ] && [ "$tool" != jpulld ]; then continue; fi
        run "$tool" "$scenario" "$img" "$first" "$n"
      done
    done
  done
done

echo
echo "machine: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB RAM; link: ${DELAY_MS} ms each way, ${RATE_MBIT} Mbit/s shared by all endpoints; runs per tool: $RUNS (after 1 warm-up); timeout ${TIMEOUT} s"
echo "$("$root/bench/jvm.sh"); $(skopeo --version); $(containerd --version | cut -d' ' -f3)"
echo
printf '%-8s %-6s %-26s %-26s %-26s %-26s\n' scenario image jpull "jpull (daemon)" skopeo "containerd (ctr)"
for scenario in "${scenarios[@]}"; do
  for img in "${images[@]}"; do
    line=$(printf '%-8s %-6s' "$scenario" "$img")
    for tool in jpull jpulld skopeo ctr; do
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

# median SCENARIO IMAGE TOOL: the median wall seconds of the finished runs, or empty.
median() {
  awk -v s="$1" -v i="$2" -v t="$3" '$1 == s && $2 == i && $3 == t && $4 == 0 { ok[++n] = $5 }
    END { if (n == 0) exit
          for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) if (ok[b] < ok[a]) { x = ok[a]; ok[a] = ok[b]; ok[b] = x }
          printf "%.3f", n % 2 ? ok[(n + 1) / 2] : (ok[n / 2] + ok[n / 2 + 1]) / 2 }' "$results"
}
# target LABEL VALUE_EXPR LIMIT_EXPR UNIT: prints the measured value, the limit and whether it is met.
target() {
  local label=$1 value=$2 limit=$3 unit=$4
  if [ -z "$value" ] || [ -z "$limit" ]; then printf '%-58s %s\n' "$label" "not measured"; return; fi
  awk -v l="$label" -v v="$value" -v m="$limit" -v u="$unit" 'BEGIN {
    printf "%-58s %8.2f%s (limit %.2f%s) %s\n", l, v, u, m, u, (v <= m ? "met" : "NOT MET") }'
}
ran() { for s in "${scenarios[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
has_img() { for s in "${images[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
echo
echo "targets (issue 11; medians of this run)"
for img in small five; do
  has_img "$img" && ran good || continue
  j=$(median good "$img" jpull); s=$(median good "$img" skopeo); c=$(median good "$img" ctr)
  best=$(printf '%s\n%s\n' "$s" "$c" | awk 'NF' | sort -g | head -1)
  [ -n "$j" ] && [ -n "$best" ] && target "good $img: jpull / faster of skopeo and ctr" \
    "$(awk "BEGIN {print $j / $best}")" 1.0 "x"
  d=$(median good "$img" jpulld)
  [ -n "$d" ] && [ -n "$best" ] && target "good $img: jpull (daemon) / faster of skopeo and ctr" \
    "$(awk "BEGIN {print $d / $best}")" 1.0 "x"
done
if has_img five; then
  g=$(median good five jpull)
  if ran closed && [ -n "$g" ]; then
    v=$(median closed five jpull); [ -z "$v" ] || target "closed five: jpull / jpull good" "$(awk "BEGIN {print $v / $g}")" 1.05 "x"
  fi
  if ran hang && [ -n "$g" ]; then
    v=$(median hang five jpull); [ -z "$v" ] || target "hang five: jpull - jpull good" "$(awk "BEGIN {print $v - $g}")" 1.5 " s"
  fi
  if ran hang-again && [ -n "$g" ]; then
    v=$(median hang-again five jpull); [ -z "$v" ] || target "hang-again five (remembered): jpull - jpull good" \
      "$(awk "BEGIN {print $v - $g}")" 0.3 " s"
  fi
  if ran stall && [ -n "$g" ]; then
    v=$(median stall five jpull); [ -z "$v" ] || target "stall five: jpull - jpull good" "$(awk "BEGIN {print $v - $g}")" 2.0 " s"
  fi
  if ran slow; then
    v=$(median slow five jpull); c=$(median slow five ctr)
    [ -n "$c" ] || c=$TIMEOUT # containerd did not finish: its time is at least the timeout
    [ -z "$v" ] || target "slow five: jpull / ctr" "$(awk "BEGIN {print $v / $c}")" 0.6 "x"
  fi
fi
