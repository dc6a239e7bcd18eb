#!/usr/bin/env bash
# Start-up A/B of two checkouts of jpull (see BENCHMARKS.md, "Start-up after the argument model"):
#
#   bench/ab.sh BEFORE_DIR AFTER_DIR      N rounds (default 15), environment N
#
# Starts a local registry, pushes bench/images.sh's small image, then alternates before/after (and after/before in
# the next round) with each checkout's ./jpull launcher: the small image into a fresh store, and again into a store
# that holds it. Prints "SCENARIO BUILD WALL_MS CPU_MS" per run, then on stderr the classes a small pull loads.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
A=$1; B=$2; N=${N:-15}
work=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/jpull-ab.XXXXXX"); reg_pid=""
trap '[ -n "$reg_pid" ] && kill $reg_pid; rm -rf "$work"' EXIT
port=$(( (RANDOM % 30000) + 20000 )); registry="127.0.0.1:$port"
cat > "$work/registry.yml" <<YAML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: $registry, secret: ab}
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 & reg_pid=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/$registry") 2>/dev/null && break; sleep 0.1; done
. "$here/images.sh"
make_small >/dev/null 2>&1
ref=$registry/bench/small:1
for t in before after; do root=$([ $t = before ] && echo $A || echo $B)
  "$root/jpull" --version >/dev/null; "$root/jpull" -q --store "$work/up-$t" $ref >/dev/null; done
ms() { /usr/bin/time -o "$work/t" -f "%e %U %S" "$@" >/dev/null 2>&1; awk "{printf \"%d %d\", \$1*1000, (\$2+\$3)*1000}" "$work/t"; }
for i in $(seq $N); do
  order="before after"; [ $((i % 2)) = 0 ] && order="after before"
  for t in $order; do root=$([ $t = before ] && echo $A || echo $B)
    echo "small $t $(ms "$root/jpull" --store "$work/s-$t-$i" $ref)"
    echo "uptodate $t $(ms "$root/jpull" --store "$work/up-$t" $ref)"
    rm -rf "$work/s-$t-$i"
  done
done
for t in before after; do root=$([ $t = before ] && echo $A || echo $B)
  JPULL_JAVA_OPTS="-Xlog:class+load:file=$work/cl-$t.log" "$root/jpull" --store "$work/c-$t" $ref >/dev/null 2>&1
  { grep " picocli\." "$work/cl-$t.log"; grep "dev.jpull.cli" "$work/cl-$t.log" | grep -v "shared objects"; } >&2 || true
  echo "classes $t $(grep -c . "$work/cl-$t.log") picocli=$(grep -c ' picocli\.' "$work/cl-$t.log") shared=$(grep -c 'shared objects file' "$work/cl-$t.log")" >&2
done
