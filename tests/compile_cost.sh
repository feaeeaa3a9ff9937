#!/usr/bin/env bash
# Compile cost of including batchmount: a translation unit that includes
# batchmount/batchmount.hpp against one that includes only the standard headers batchmount
# itself includes, each compiled RUNS times; prints the median times and the ratio.
# Usage: tests/compile_cost.sh [CXX] [RUNS]     (target: ratio <= 1.25)
set -euo pipefail
cxx=${1:-g++}
runs=${2:-7}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

std_headers=$(grep -rhoE '^#include <[a-z_]+>' "$here/include/batchmount" --include='*.hpp' \
              --exclude-dir=render --exclude-dir=adapters | sort -u)
{ echo "$std_headers"; echo 'int main() { return 0; }'; } > "$work/std_only.cpp"
{ echo '#include <batchmount/batchmount.hpp>'; echo 'int main() { return 0; }'; } > "$work/batchmount.cpp"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# The compiler's CPU time (user + system, in ms): steadier than wall time on a shared machine.
measure() {
  for _ in $(seq "$runs"); do
    local TIMEFORMAT='%3U %3S'
    { time "$cxx" -std=c++17 -O2 -I"$here/include" -c "$1" -o "$work/out.o"; } 2>&1 |
      awk '{ printf "%d\n", ($1 + $2) * 1000 }'
  done | median
}
std_ms=$(measure "$work/std_only.cpp")
bm_ms=$(measure "$work/batchmount.cpp")
echo "compiler: $($cxx --version | head -1)"
echo "standard headers only:   ${std_ms} ms CPU (median of $runs)"
echo "batchmount/batchmount.hpp: ${bm_ms} ms CPU (median of $runs)"
awk -v a="$bm_ms" -v b="$std_ms" 'BEGIN { printf "ratio: %.2fx (target <= 1.25x)\n", a / b }'
