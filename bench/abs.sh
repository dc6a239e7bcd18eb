#!/usr/bin/env bash
# Before/after benchmark of two checkouts of jpull with skopeo as the reference, in ONE alternating run
# (see BENCHMARKS.md, "Issue 9: before and after"):
#
#   bench/abs.sh BEFORE_DIR AFTER_DIR        RUNS per tool and scenario (default 5), SCENARIOS (default
#                                            "small uptodate large")
#
# Starts a local registry on loopback, pushes bench/images.sh's images, then per scenario runs, in every round,
# before's ./jpull, after's ./jpull and `skopeo copy ... oci:` (the order rotates each round), each pull into a fresh
# directory (uptodate: into one that holds the image). Prints "SCENARIO TOOL WALL_S CPU_S" per run, then medians.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
A=$(cd "$1" && pwd); B=$(cd "$2" && pwd); RUNS=${RUNS:-5}; SCENARIOS=${SCENARIOS:-small uptodate large}
work=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/jpull-abs.XXXXXX"); reg_pid=""
trap '[ -n "$reg_pid" ] && kill $reg_pid; rm -rf "$work"' EXIT
port=$(( (RANDOM % 30000) + 20000 )); registry="127.0.0.1:$port"
cat > "$work/registry.yml" <<YAML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: $registry, secret: abs}
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 & reg_pid=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/$registry") 2>/dev/null && break; sleep 0.1; done
. "$here/images.sh"
make_small >/dev/null 2>&1
case " $SCENARIOS " in *" large "*) make_large >/dev/null 2>&1 ;; esac
cmd() { # TOOL SCENARIO DIR
  local image=$2; [ "$2" = uptodate ] && image=small
  case $1 in
    before) echo "$A/jpull --store $3 $registry/bench/$image:1" ;;
    after) echo "$B/jpull --store $3 $registry/bench/$image:1" ;;
    skopeo) echo "skopeo copy -q --src-tls-verify=false docker://$registry/bench/$image:1 oci:$3:$image" ;;
  esac
}
run() { # TOOL SCENARIO N
  local dir="$work/out/$1-$2-$3"; [ "$2" = uptodate ] && dir="$work/out/$1-uptodate"
  mkdir -p "$work/out"; sync
  # shellcheck disable=SC2046
  /usr/bin/time -o "$work/t" -f "%e %U %S" $(cmd "$1" "$2" "$dir") >/dev/null 2>"$work/err" \
    || { echo "abs: FAILED: $(cmd "$1" "$2" "$dir")" >&2; cat "$work/err" >&2; exit 1; }
  [ "$2" = uptodate ] || rm -rf "$dir"
  [ "$3" = 0 ] || awk -v s="$2" -v t="$1" '{printf "%s %s %.3f %.3f\n", s, t, $1, $2+$3}' "$work/t"
}
for s in $SCENARIOS; do
  for t in before after skopeo; do run $t $s 0; done      # warm-up (and the uptodate stores)
  for n in $(seq "$RUNS"); do
    case $((n % 3)) in 1) order="before after skopeo" ;; 2) order="after skopeo before" ;; *) order="skopeo before after" ;; esac
    for t in $order; do run $t $s $n; done
  done
done | tee "$work/results"
echo "scenario  tool    wall s median [min..max]   cpu s median [min..max]"
for s in $SCENARIOS; do for t in before after skopeo; do
  awk -v s=$s -v t=$t '$1==s && $2==t {print $3, $4}' "$work/results" | sort -n > "$work/w"
  awk -v s=$s -v t=$t '$1==s && $2==t {print $4}' "$work/results" | sort -n > "$work/c"
  n=$(wc -l < "$work/w")
  printf "%-9s %-7s %.3f [%.3f..%.3f]      %.3f [%.3f..%.3f]\n" $s $t \
    "$(awk '{print $1}' "$work/w" | sed -n "$(( (n + 1) / 2 ))p")" "$(awk '{print $1}' "$work/w" | head -1)" \
    "$(awk '{print $1}' "$work/w" | tail -1)" "$(sed -n "$(( (n + 1) / 2 ))p" "$work/c")" "$(head -1 "$work/c")" \
    "$(tail -1 "$work/c")"
done; done
