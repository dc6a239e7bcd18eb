#!/usr/bin/env bash
# jpull vs skopeo benchmark (see BENCHMARKS.md). One command on a fresh Debian machine, as root or with sudo:
#
#   bench/run.sh [SCENARIO...]      scenarios: version small uptodate large huge (default: all, in that order)
#   bench/run.sh containerd         jpull vs ctr pulling the large image into containerd (bench/containerd.sh)
#   bench/run.sh wan [SCENARIO...]  jpull vs skopeo vs ctr on a simulated wide-area link (bench/wan.sh)
#   bench/run.sh serve              ctr directly vs through jpull serve, cold and warm (bench/serve.sh)
#
# Starts a local distribution registry on loopback, generates and pushes the images (bench/images.sh), then for
# each scenario runs `./jpull` and `skopeo copy docker://... oci:DIR` alternately: one warm-up each, then RUNS
# (default 5) measured runs each, every pull into a fresh directory (except "uptodate", which pulls again into a
# store that already holds the image). Prints median [min..max] of wall time, CPU time (user+sys) and peak RSS
# (GNU time) per tool, the jpull/skopeo ratios, and the targets of the issue.
#
# Environment: RUNS (measured runs per tool, default 5), BENCH_TMP (scratch parent, default $TMPDIR or /tmp),
# LARGE_MIB (size of the large image, default 554), JPULL_CONCURRENCY (passed as --concurrency when set).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ "${1:-}" != containerd ] || { shift; exec "$root/bench/containerd.sh" "$@"; }
[ "${1:-}" != wan ] || { shift; exec "$root/bench/wan.sh" "$@"; }
[ "${1:-}" != serve ] || { shift; exec "$root/bench/serve.sh" "$@"; }
RUNS=${RUNS:-5}
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(version small uptodate large huge)

need=()
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v skopeo >/dev/null || need+=(skopeo)
[ -x /usr/bin/time ] || need+=(time)
command -v mvn >/dev/null || need+=(maven)
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
if [ ${#need[@]} -gt 0 ]; then
  echo "bench: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}" >&2
fi

work="$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/jpull-bench.XXXXXX")"
reg_pid=""
cleanup() { [ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

free_kib=$(df -Pk "$work" | awk 'NR==2 {print $4}')
if [ "$free_kib" -lt $((5 * 1024 * 1024)) ]; then
  echo "bench: $work has $((free_kib / 1024)) MiB free; the benchmark needs about 5 GiB (set BENCH_TMP)" >&2
  exit 1
fi

echo "bench: building jpull and its class-data archive" >&2
"$root/jpull" --version >/dev/null

# shellcheck source=bench/registry.sh
. "$root/bench/registry.sh"
start_registry

# shellcheck source=bench/images.sh
. "$root/bench/images.sh"
has() { local s; for s in "${scenarios[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
echo "bench: generating images in $work" >&2
if has small || has uptodate; then make_small; fi
if has large; then make_large; fi
if has huge; then make_huge; fi

jpull_opts=()
[ -z "${JPULL_CONCURRENCY:-}" ] || jpull_opts+=(--concurrency "$JPULL_CONCURRENCY")

# cmd TOOL SCENARIO DIR: the command line of one run.
cmd() {
  local tool=$1 scenario=$2 dir=$3 image
  case $scenario in uptodate) image=small ;; *) image=$scenario ;; esac
  if [ "$scenario" = version ]; then
    [ "$tool" = jpull ] && echo "$root/jpull --version" || echo "skopeo --version"
  elif [ "$tool" = jpull ]; then
    echo "$root/jpull ${jpull_opts[*]} --store $dir $registry/bench/$image:1"
  else
    echo "skopeo copy -q --src-tls-verify=false docker://$registry/bench/$image:1 oci:$dir:$image"
  fi
}

results="$work/results"
: > "$results"
# run TOOL SCENARIO N: one run; N=0 is the warm-up (not recorded).
run() {
  local tool=$1 scenario=$2 n=$3 dir c
  if [ "$scenario" = uptodate ]; then dir="$work/out/$tool-uptodate"; else dir="$work/out/$tool-$n"; fi
  c=$(cmd "$tool" "$scenario" "$dir")
  mkdir -p "$work/out"
  sync
  # shellcheck disable=SC2086
  if ! /usr/bin/time -o "$work/time" -f '%e %U %S %M' $c >"$work/stdout" 2>"$work/stderr"; then
    echo "bench: FAILED: $c" >&2
    cat "$work/stderr" >&2
    exit 1
  fi
  [ "$n" = 0 ] || echo "$scenario $tool $(cat "$work/time")" >> "$results"
  [ "$scenario" = uptodate ] || rm -rf "$dir"
}

for scenario in "${scenarios[@]}"; do
  echo "bench: $scenario: warm-up, then $RUNS runs of each tool, alternating" >&2
  run jpull "$scenario" 0
  run skopeo "$scenario" 0
  for n in $(seq "$RUNS"); do
    if [ $((n % 2)) = 1 ]; then run jpull "$scenario" "$n"; run skopeo "$scenario" "$n"
    else run skopeo "$scenario" "$n"; run jpull "$scenario" "$n"; fi
  done
done

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -m | awk '/Mem:/ {print $2}') MiB RAM"
echo "java: $("$root/bench/jvm.sh"); $(skopeo --version); runs per tool: $RUNS (after 1 warm-up)"
echo
"$root/bench/report.sh" "$results"
