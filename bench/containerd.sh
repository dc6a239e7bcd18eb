#!/usr/bin/env bash
# jpull vs ctr: pulling into containerd (see BENCHMARKS.md, "Pull into containerd"). As root, on a fresh Debian
# machine:
#
#   bench/containerd.sh             (also: bench/run.sh containerd)
#
# Starts a local distribution registry on loopback and pushes bench/images.sh's large image (IMAGE=small for a
# quick check), then alternates RUNS (default 5) rounds of
#   jpull pull --containerd SOCK --namespace bench-jpull-N -c registries.yaml REF
#   ctr -n bench-ctr-N images pull --hosts-dir DIR --plain-http REF
# (both unpack into overlayfs), the order swapped every round, after one warm-up each. Every pull is cold: it
# goes to a private containerd (CRI off) started for that pull alone with a fresh root, state and socket, so its
# content store and snapshotter are empty; containerd's start-up is not timed, and it is stopped and its root
# removed after the pull is checked (`ctr images ls` shows REF with the digest `skopeo inspect` gives,
# `ctr images check` says complete, `ctr snapshots ls` holds one snapshot per layer). Prints "TOOL N WALL_S CPU_S
# RSS_MIB CTD_CPU_S" per run (CPU_S and RSS_MIB of the client process from GNU time; CTD_CPU_S the CPU time
# containerd spent during the pull, from /proc, where the layers are unpacked for both tools), then median
# [min..max] per tool and the jpull/ctr ratios of the medians. UNPACK=0 measures the transfer alone:
# `jpull pull --no-unpack` against `ctr content fetch` (content and image record, no snapshots).
#
# Environment: RUNS (default 5), IMAGE (large or small, default large), UNPACK (1 or 0, default 1), LARGE_MIB
# (see bench/images.sh), BENCH_TMP (scratch parent, default $TMPDIR or /tmp; needs about 3 GiB),
# JPULL_CONCURRENCY (--concurrency).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=${RUNS:-5}
IMAGE=${IMAGE:-large}
UNPACK=${UNPACK:-1}
[ "$(id -u)" = 0 ] || { echo "bench: run as root (containerd unpacks into overlayfs)" >&2; exit 1; }

need=()
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v skopeo >/dev/null || need+=(skopeo)
command -v containerd >/dev/null || need+=(containerd)
[ -x /usr/bin/time ] || need+=(time)
command -v mvn >/dev/null || need+=(maven)
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
if [ ${#need[@]} -gt 0 ]; then
  echo "bench: installing ${need[*]}" >&2
  apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >&2
fi

work="$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/jpull-ctd.XXXXXX")"
reg_pid=""; ctd_pid=""; ctd_dir=""
cleanup() { stop_containerd; [ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

echo "bench: building jpull and its class-data archive" >&2
"$root/jpull" --version >/dev/null

# shellcheck source=bench/registry.sh
. "$root/bench/registry.sh"
start_registry

# shellcheck source=bench/images.sh
. "$root/bench/images.sh"
echo "bench: generating the $IMAGE image in $work" >&2
"make_$IMAGE"
ref="$registry/bench/$IMAGE:1"
digest=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$ref")
layers=$(skopeo inspect --tls-verify=false --format '{{len .Layers}}' "docker://$ref")
echo "bench: $ref is $digest ($layers layers)" >&2

# The registry is plain http: jpull through a registries.yaml mirror, ctr through a hosts directory.
cat > "$work/registries.yaml" <<YAML
mirrors:
  "$registry":
    endpoint: ["http://$registry"]
YAML
mkdir -p "$work/hosts/$registry"
cat > "$work/hosts/$registry/hosts.toml" <<TOML
server = "http://$registry"
[host."http://$registry"]
  capabilities = ["pull", "resolve"]
TOML

# ctd_cpu: CPU seconds (user+sys) containerd has used so far.
ctd_cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$ctd_pid/stat"; }

jpull_opts=(); ctr_cmd=(images pull); snapshots=$layers
[ -z "${JPULL_CONCURRENCY:-}" ] || jpull_opts+=(--concurrency "$JPULL_CONCURRENCY")
[ "$UNPACK" != 0 ] || { jpull_opts+=(--no-unpack); ctr_cmd=(content fetch); snapshots=0; }

results="$work/results"
: > "$results"
# run TOOL N: one cold pull into a fresh containerd, checked; N=0 is the warm-up (not recorded).
run() {
  local tool=$1 n=$2 ns="bench-$1-$2" sock c0 c1 out
  start_containerd "$work/ctd-$tool-$n"
  sock="$ctd_dir/c.sock"
  if [ "$tool" = jpull ]; then
    set -- "$root/jpull" pull "${jpull_opts[@]}" --containerd "$sock" --namespace "$ns" -c "$work/registries.yaml" "$ref"
  else
    set -- ctr --address "$sock" -n "$ns" "${ctr_cmd[@]}" --hosts-dir "$work/hosts" --plain-http "$ref"
  fi
  sync
  c0=$(ctd_cpu)
  if ! /usr/bin/time -o "$work/time" -f '%e %U %S %M' "$@" >"$work/stdout" 2>"$work/stderr"; then
    echo "bench: FAILED: $*" >&2; cat "$work/stderr" "$work/stdout" >&2; exit 1
  fi
  c1=$(ctd_cpu)
  # the result: the image record with skopeo's digest, all content present, one snapshot per layer (none: UNPACK=0)
  out=$(ctr --address "$sock" -n "$ns" images ls)
  awk -v r="$ref" -v d="$digest" '$1 == r && $3 == d {ok = 1} END {exit !ok}' <<<"$out" ||
    { echo "bench: $tool run $n: $ref with $digest not in ctr images ls:" >&2; echo "$out" >&2; exit 1; }
  out=$(ctr --address "$sock" -n "$ns" images check)
  grep -F "$ref" <<<"$out" | grep -q " complete " ||
    { echo "bench: $tool run $n: ctr images check:" >&2; echo "$out" >&2; exit 1; }
  out=$(ctr --address "$sock" -n "$ns" snapshots ls | awk 'NR > 1 && $NF == "Committed"' | wc -l)
  [ "$out" = "$snapshots" ] || { echo "bench: $tool run $n: $out committed snapshots, expected $snapshots:" >&2
    ctr --address "$sock" -n "$ns" snapshots ls >&2; cat "$work/stderr" >&2; exit 1; }
  stop_containerd
  [ "$tool" != jpull ] || grep -h '^jpull: pulled' "$work/stderr" | sed "s/^/bench:   run $n: /" >&2 || true
  [ "$n" = 0 ] || awk -v t="$tool" -v n="$n" -v c="$(awk -v a="$c0" -v b="$c1" 'BEGIN {print b - a}')" \
    '{printf "%s %s %.2f %.2f %.0f %.2f\n", t, n, $1, $2 + $3, $4 / 1024, c}' "$work/time" | tee -a "$results"
}

echo "bench: warm-up, then $RUNS rounds of jpull and ctr, alternating" >&2
run jpull 0
run ctr 0
for n in $(seq "$RUNS"); do
  if [ $((n % 2)) = 1 ]; then run jpull "$n"; run ctr "$n"; else run ctr "$n"; run jpull "$n"; fi
done

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -m | awk '/Mem:/ {print $2}') MiB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $("$root/bench/jvm.sh"); $(containerd --version | cut -d' ' -f1,3); image $ref, $layers layers; ${ctr_cmd[*]} (unpack: $UNPACK); runs per tool: $RUNS (after 1 warm-up)"
echo
# stat TOOL COLUMN: "median min max" of column COLUMN (3 wall, 4 cpu, 5 rss, 6 containerd cpu)
stat() {
  awk -v t="$1" -v c="$2" '$1 == t {print $c}' "$results" | sort -g |
    awk '{a[NR] = $1} END {m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; print m, a[1], a[NR]}'
}
printf '%-6s %-24s %-24s %-24s %-18s\n' tool 'wall s: median [min..max]' 'client cpu s: med [..]' \
  'containerd cpu s: med [..]' 'client RSS MiB: med [..]'
declare -A med
for tool in jpull ctr; do
  line=$(printf '%-6s' $tool)
  for c in 3 4 6 5; do
    read -r m lo hi <<<"$(stat $tool $c)"
    med[$tool.$c]=$m
    if [ $c = 5 ]; then line+=$(printf ' %-18s' "$(printf '%.0f [%.0f..%.0f]' "$m" "$lo" "$hi")")
    else line+=$(printf ' %-24s' "$(printf '%.2f [%.2f..%.2f]' "$m" "$lo" "$hi")"); fi
  done
  echo "$line"
done
line=$(printf '%-6s' ratio)
for c in 3 4 6 5; do
  r=$(awk -v a="${med[jpull.$c]}" -v b="${med[ctr.$c]}" 'BEGIN {if (b > 0) printf "%.2f", a / b; else printf "n/a"}')
  if [ $c = 5 ]; then line+=$(printf ' %-18s' "$r"); else line+=$(printf ' %-24s' "$r"); fi
done
echo "$line"
