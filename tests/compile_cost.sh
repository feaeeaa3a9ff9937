#!/usr/bin/env bash
# Compile cost of including batchmount: a translation unit that includes
# batchmount/batchmount.hpp against one that includes only the standard headers batchmount
# itself includes, each compiled with `-std=c++17 -c`; prints the two costs and the ratio.
# Usage: tests/compile_cost.sh [--instructions] [CXX] [RUNS]     (target: ratio <= 1.25)
# By default the cost is the compiler's CPU time (user + system), median of RUNS (7). With
# --instructions it is the instructions the compiler executes (valgrind's callgrind, one
# run each): slower to take, but the same from run to run, where CPU time moves by +-15%.
set -euo pipefail
mode=time
if [ "${1:-}" = --instructions ]; then mode=instructions; shift; fi
cxx=${1:-g++}
runs=${2:-7}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "$mode" = instructions ] && ! command -v valgrind >/dev/null; then
  echo "compile_cost: --instructions needs valgrind (apt-get install valgrind)" >&2
  exit 2
fi

std_headers=$(grep -rhoE '^#include <[a-z_]+>' "$here/include/batchmount" --include='*.hpp' \
              --exclude-dir=render --exclude-dir=adapters | sort -u)
{ echo "$std_headers"; echo 'int main() { return 0; }'; } > "$work/std_only.cpp"
{ echo '#include <batchmount/batchmount.hpp>'; echo 'int main() { return 0; }'; } > "$work/batchmount.cpp"
compile=("$cxx" -std=c++17 -I"$here/include" -c)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# The compiler's CPU time (user + system, in ms): steadier than wall time on a shared machine.
cpu_ms() {
  for _ in $(seq "$runs"); do
    local TIMEFORMAT='%3U %3S'
    { time "${compile[@]}" "$1" -o "$work/out.o"; } 2>&1 | awk '{ printf "%d\n", ($1 + $2) * 1000 }'
  done | median
}
# Millions of instructions, summed over the driver and the compiler proper it starts.
instructions_m() {
  valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$work/cg.%p" \
    "${compile[@]}" "$1" -o "$work/out.o" 2>&1 >/dev/null |
    awk '/Collected :/ { s += $NF } END { printf "%d\n", s / 1e6 }'
  rm -f "$work"/cg.*
}
echo "compiler: $($cxx --version | head -1)"
if [ "$mode" = instructions ]; then
  std=$(instructions_m "$work/std_only.cpp"); bm=$(instructions_m "$work/batchmount.cpp"); unit="M instructions"
else
  std=$(cpu_ms "$work/std_only.cpp"); bm=$(cpu_ms "$work/batchmount.cpp"); unit="ms CPU (median of $runs)"
fi
echo "standard headers only:     ${std} ${unit}"
echo "batchmount/batchmount.hpp: ${bm} ${unit}"
awk -v a="$bm" -v b="$std" 'BEGIN { printf "ratio: %.2fx (target <= 1.25x)\n", a / b }'
