#!/usr/bin/env bash
# Re-runs the whole server choice measurement (issue 13 point 8): JDK com.sun.net.httpserver vs Jetty 12.1.
# Loopback only. Usage: bench/server-choice/run.sh [quick]   (quick: skips the 30-40 s default-timeout probes)
# Output: a report on stdout (results.txt is one; README.md quotes it). Takes ~10 min (~3 min quick).
set -euo pipefail
cd "$(dirname "$0")"
QUICK=${1:-}
J="nice -n 19 java"
nice -n 19 mvn -B -q -o package >/dev/null 2>&1 || nice -n 19 mvn -B -q package >/dev/null
CP=target/server-choice-0.jar:$(ls target/lib/*.jar | tr '\n' ':')
BLOBS=${BLOBS:-/tmp/server-choice-blobs}
WORK=$(mktemp -d /tmp/server-choice.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

# start NAME CLASS PROPS...: starts a server on a free port; sets PORT_<NAME>, LOG_<NAME>
start() {
  local name=$1 cls=$2; shift 2
  $J "$@" -cp "$CP" "bench.$cls" 0 "$BLOBS" >"$WORK/$name.out" 2>"$WORK/$name.log" &
  PIDS+=($!)
  for _ in $(seq 600); do grep -q listening "$WORK/$name.out" 2>/dev/null && break; sleep 0.1; done
  printf -v "PORT_$name" '%s' "$(awk '/listening/{print $2}' "$WORK/$name.out")"
  printf -v "LOG_$name" '%s' "$WORK/$name.log"
}
port() { local v="PORT_$1"; echo "${!v}"; }
med() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
url() { echo "http://127.0.0.1:$(port "$1")$2"; }

# curl one body: prints MiB/s
curl1() { nice -n 19 curl -m 120 -s -o /dev/null -w '%{speed_download}\n' "$1" | awk '{printf "%.0f\n", $1/1048576}'; }
# 20 concurrent curls x 64 MiB: prints aggregate MiB/s (20*64 MiB / wall time)
curl20() {
  local t0 t1; t0=$(date +%s.%N)
  local pids=(); for _ in $(seq 20); do nice -n 19 curl -m 120 -s -o /dev/null "$1" & pids+=($!); done; wait "${pids[@]}"
  t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f\n", 20*64/(b-a)}'
}
# Java HttpClient: 4 runs in one JVM, median of the last 3 (first warms the JIT); prints MiB/s
java1() { $J -cp "$CP" bench.Fetch "$1" "$2" 1 4 | tail -3 | awk '{print $2}' | med | awk '{printf "%.0f\n", $1}'; }

S=(jdk jetty)
start jdk JdkServe
start jetty JettyServe
echo "# defaults: JDK server with a cached thread pool, no sun.net.httpserver properties; Jetty: 200 threads, idle 30 s"
echo
echo "## throughput (MiB/s, median of 3, servers alternated)"
declare -A R
for rep in 1 2 3; do
  for s in "${S[@]}"; do
    R[$s,c512]+="$(curl1 "$(url $s /v2/x/blobs/512m)") "
    R[$s,c20]+="$(curl20 "$(url $s /v2/x/blobs/64m)") "
    R[$s,cgrow]+="$(curl1 "$(url $s /v2/x/blobs/grow-64m)") "
  done
done
for s in "${S[@]}"; do
  R[$s,j512]=$(java1 "$(url $s /v2/x/blobs/512m)" 1)
  R[$s,j20]=$(java1 "$(url $s /v2/x/blobs/64m)" 20)
done
printf '| %-6s | %s | %s | %s | %s | %s |\n' server "curl 1x512MiB" "curl 20x64MiB" "curl growing 64MiB" \
  "HttpClient 1x512MiB" "HttpClient 20x64MiB"
for s in "${S[@]}"; do
  printf '| %-6s | %s | %s | %s | %s | %s |\n' "$s" \
    "$(tr ' ' '\n' <<<"${R[$s,c512]}" | grep . | med) (${R[$s,c512]% })" \
    "$(tr ' ' '\n' <<<"${R[$s,c20]}" | grep . | med) (${R[$s,c20]% })" \
    "$(tr ' ' '\n' <<<"${R[$s,cgrow]}" | grep . | med) (${R[$s,cgrow]% })" "${R[$s,j512]}" "${R[$s,j20]}"
done
echo
echo "## protocol"
for s in "${S[@]}"; do
  u=$(url $s /v2/x/blobs/64m)
  head=$(nice -n 19 curl -m 120 -sI -w '%{size_download}' "$u" | tr -d '\r' | awk -F': ' 'tolower($1)=="content-length"{cl=$2} END{printf "Content-Length=%s ", cl}'; nice -n 19 curl -m 120 -s -I -o /dev/null -w 'body=%{size_download}' "$u")
  nice -n 19 curl -m 120 -s -o "$WORK/r" -H 'Range: bytes=1048576-2097151' "$u"
  range=$(cmp -s "$WORK/r" <(tail -c +1048577 "$BLOBS/64m" | head -c 1048576) && echo "206 bytes ok" || echo BAD)
  nice -n 19 curl -m 120 -s -o "$WORK/g" "$(url $s /v2/x/blobs/grow-64m)"
  grow=$(cmp -s "$WORK/g" "$BLOBS/64m" && echo "identical" || echo BAD)
  ka=$(nice -n 19 curl -m 120 -s -o /dev/null -o /dev/null -o /dev/null -w '%{num_connects} ' "$u" "$u" "$u")
  n0=$(wc -l < "$(eval echo \$LOG_$s)")
  $J -cp "$CP" bench.Fetch "$(url $s /v2/x/blobs/1k)" 1 5 >/dev/null
  kaj=$(tail -n +$((n0 + 1)) "$(eval echo \$LOG_$s)" | grep '/1k' | grep -o 'port=[0-9]*' | sort -u | wc -l)
  echo "- $s: HEAD $head; Range: $range; growing blob: $grow; curl 3 GETs in one run opened connections: ${ka% }; HttpClient 5 sequential GETs used $kaj connection(s)"
done
echo
echo "## abort mid-body (Content-Length 64 MiB, 8 MiB sent, then the abort pattern)"
for s in "${S[@]}"; do
  if [ $s = jdk ]; then modes="throw close short"; else modes="fail throw succeed"; fi
  for m in $modes; do
    set +e; got=$(nice -n 19 curl -m 120 -s -o /dev/null -w '%{size_download}' "$(url $s /v2/x/blobs/abort-$m)"); rc=$?; set -e
    jv=$($J -cp "$CP" bench.Fetch "$(url $s /v2/x/blobs/abort-$m)" 1 | awk '{print ($4=="1") ? "error" : "ACCEPTED"}')
    echo "- $s abort-$m: curl exit $rc after $got bytes; HttpClient: $jv"
  done
done
echo
echo "## concurrency: 300 clients at once on /slow (handler sleeps 2 s)"
for s in "${S[@]}"; do
  echo "- $s: $($J -cp "$CP" bench.Fetch "$(url $s /slow)" 300 | awk '{printf "%s s wall, %s ok, %s errors", $1, $3, $4}')"
done

probes() { # probes LABEL LIMIT_S STALL_S: slowloris and stalled reader on every running server, in parallel
  local label=$1 limit=$2 stall=$3 pp=()
  echo
  echo "## slow clients ($label)"
  for s in "${S[@]}"; do
    ( for m in half idle trickle; do
        echo "- $s: $($J -cp "$CP" bench.Probe slowloris "$(port $s)" 50 $m "$limit")"
      done
      echo "- $s: $($J -cp "$CP" bench.Probe stall "$(port $s)" /v2/x/blobs/512m "$stall")"
      set +e; nice -n 19 curl -m 120 -s -o "$WORK/$s.gs" "$(url $s /v2/x/blobs/grow-stall)"; rc=$?; set -e
      echo "- $s: upstream pausing 8 s mid-body (grow-stall): curl exit $rc, $(cmp -s "$WORK/$s.gs" "$BLOBS/64m" && echo "body complete" || echo "body CUT")"
    ) > "$WORK/probe-$s.txt" &
    pp+=($!)
  done
  wait "${pp[@]}"
  cat "$WORK"/probe-*.txt
  for s in "${S[@]}"; do
    { grep -h 'watchdog\|write failed' "$(eval echo \$LOG_$s)" || true; } | sed -e "s/^/  - server log $s: /" -e 's/port=[0-9]* //'
    : > "$(eval echo \$LOG_$s)"
  done
}

[ "$QUICK" = quick ] || probes "defaults" 40 35
for p in "${PIDS[@]}"; do kill "$p"; done; PIDS=()

echo
echo "# bounded: JDK -Dsun.net.httpserver.maxReqTime=5 -Dsun.net.httpserver.idleInterval=5 + handler write watchdog 5 s;"
echo "# Jetty connector idle timeout 5 s"
start jdk JdkServe -Dsun.net.httpserver.maxReqTime=5 -Dsun.net.httpserver.idleInterval=5 -Dbench.stallMillis=5000
start jetty JettyServe -Dbench.idleMillis=5000
probes "bounded" 15 12
for p in "${PIDS[@]}"; do kill "$p"; done; PIDS=()

echo
echo "# JDK -Dsun.net.httpserver.maxRspTime=5 (total response time) and -Djdk.httpserver.maxConnections=20"
S=(jdk)
start jdk JdkServe -Dsun.net.httpserver.maxRspTime=5 -Djdk.httpserver.maxConnections=20
set +e; nice -n 19 curl -m 120 -s -o "$WORK/gs" "$(url jdk /v2/x/blobs/grow-stall)"; rc=$?; set -e
echo "- jdk maxRspTime=5: grow-stall (progressing body, 8 s upstream pause): curl exit $rc, $(stat -c %s "$WORK/gs") of 67108864 bytes"
echo "- jdk maxConnections=20, 50 connections: $($J -cp "$CP" bench.Probe slowloris "$(port jdk)" 50 idle 3)"
echo "- jdk maxConnections=20, 300 clients on /slow: $($J -cp "$CP" bench.Fetch "$(url jdk /slow)" 300 | awk '{printf "%s s wall, %s ok, %s errors", $1, $3, $4}')"

for p in "${PIDS[@]}"; do kill "$p"; done; PIDS=()
start jdk JdkServe -Dbench.threads=16
echo "- jdk fixed pool of 16 threads, no maxReqTime: $($J -cp "$CP" bench.Probe slowloris "$(port jdk)" 50 half 3)"
for p in "${PIDS[@]}"; do kill "$p"; done; PIDS=()
start jdk JdkServe -Dbench.threads=16 -Dsun.net.httpserver.maxReqTime=5
echo "- jdk fixed pool of 16 threads, maxReqTime=5: $($J -cp "$CP" bench.Probe slowloris "$(port jdk)" 50 half 3)"

echo
echo "## jar size Jetty adds"
ls -l target/lib/*.jar | awk '{s+=$5; printf "- %s %d bytes\n", $9, $5} END{printf "- total %d bytes (%.2f MiB)\n", s, s/1048576}' | sed 's|target/lib/||'
