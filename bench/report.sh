#!/usr/bin/env bash
# Prints the benchmark table from a results file of lines "SCENARIO TOOL WALL_S USER_S SYS_S MAXRSS_KIB"
# (written by bench/run.sh): median [min..max] per tool, jpull/skopeo ratios of the medians, and the targets.
set -euo pipefail
results=$1

# stat SCENARIO TOOL COLUMN: "median min max" of one measure (wall s, cpu s = user+sys, rss MiB).
stat() {
  awk -v s="$1" -v t="$2" -v c="$3" '$1 == s && $2 == t {
      v = c == "wall" ? $3 : c == "cpu" ? $4 + $5 : $6 / 1024; print v }' "$results" |
    sort -g | awk '{a[NR] = $1} END { if (NR == 0) exit; m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
      print m, a[1], a[NR] }'
}

printf '%-9s %-7s %-24s %-24s %-22s\n' scenario tool 'wall s: median [min..max]' 'cpu s: median [min..max]' \
  'peak RSS MiB: med [min..max]'
declare -A med
for scenario in version small uptodate large huge; do
  for tool in jpull skopeo; do
    w=$(stat "$scenario" "$tool" wall)
    [ -n "$w" ] || continue
    read -r wm wn wx <<<"$w"
    read -r cm cn cx <<<"$(stat "$scenario" "$tool" cpu)"
    read -r rm rn rx <<<"$(stat "$scenario" "$tool" rss)"
    med[$scenario.$tool.wall]=$wm; med[$scenario.$tool.cpu]=$cm; med[$scenario.$tool.rss]=$rm
    printf '%-9s %-7s %-24s %-24s %-22s\n' "$scenario" "$tool" "$(printf '%.3f [%.3f..%.3f]' "$wm" "$wn" "$wx")" \
      "$(printf '%.3f [%.3f..%.3f]' "$cm" "$cn" "$cx")" "$(printf '%.0f [%.0f..%.0f]' "$rm" "$rn" "$rx")"
  done
  if [ -n "${med[$scenario.jpull.wall]:-}" ] && [ -n "${med[$scenario.skopeo.wall]:-}" ]; then
    printf '%-9s %-7s %-24s %-24s %-22s\n' "$scenario" ratio \
      "$(awk -v a="${med[$scenario.jpull.wall]}" -v b="${med[$scenario.skopeo.wall]}" 'BEGIN {if (b > 0) printf "%.2f", a / b; else printf "n/a"}')" \
      "$(awk -v a="${med[$scenario.jpull.cpu]}" -v b="${med[$scenario.skopeo.cpu]}" 'BEGIN {if (b > 0) printf "%.2f", a / b; else printf "n/a"}')" \
      "$(awk -v a="${med[$scenario.jpull.rss]}" -v b="${med[$scenario.skopeo.rss]}" 'BEGIN {if (b > 0) printf "%.2f", a / b; else printf "n/a"}')"
  fi
done

# target NAME VALUE OP LIMIT
target() {
  [ -n "$2" ] || return 0
  local ok
  ok=$(awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN { print (op == "<=" ? v <= l : v >= l) ? "met" : "NOT met" }')
  printf '  %-44s %8.3f %s %-6s %s\n' "$1" "$2" "$3" "$4" "$ok"
}
ratio() { [ -n "${med[$1]:-}" ] && [ -n "${med[$2]:-}" ] && awk -v a="${med[$1]}" -v b="${med[$2]}" 'BEGIN {print a / b}' || true; }
echo
echo "targets (jpull medians):"
target 'large: wall jpull/skopeo' "$(ratio large.jpull.wall large.skopeo.wall)" '<=' 0.9
target 'large: cpu jpull/skopeo' "$(ratio large.jpull.cpu large.skopeo.cpu)" '<=' 1.2
target 'small, empty store: wall s' "${med[small.jpull.wall]:-}" '<=' 0.30
target 'small, up to date: wall s' "${med[uptodate.jpull.wall]:-}" '<=' 0.25
target '--version: wall s' "${med[version.jpull.wall]:-}" '<=' 0.15
target 'large: peak RSS MiB' "${med[large.jpull.rss]:-}" '<=' 128
target 'one 1 GiB layer: peak RSS MiB' "${med[huge.jpull.rss]:-}" '<=' 128
