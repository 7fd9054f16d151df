#!/usr/bin/env bash
# ./slabworks native-anchor [--runs N] [--cpu K] ITERS WS SEED [MIN MAX]
# The native anchors of docs/DESIGN.md §2 on this machine: random_mixed.c compiled with the system's C
# compiler, run N times (default 15) per allocator, pinned to one CPU (default 1) when taskset exists; glibc,
# then jemalloc, mimalloc and tcmalloc where installed (swapped with LD_PRELOAD), then the loop alone.
# Prints the median, min and max M ops/s and the median's ratio to glibc's.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/../target/native"
runs=15 cpu=1
usage() { # [EXIT]: 0 prints to stdout (asked for help)
  local text="usage: ./slabworks native-anchor [--runs N] [--cpu K] ITERS WS SEED [MIN MAX]
  The random-mixed loop in C (benchmarks/native/random_mixed.c, op for op the harness's), compiled with
  the system's C compiler and run N times (default 15) per allocator, pinned to CPU K (default 1) when
  taskset exists: glibc, then jemalloc, mimalloc and tcmalloc where installed (LD_PRELOAD), then the loop
  alone. Prints the median, min and max M ops/s and the median's ratio to glibc's.
  Example: ./slabworks native-anchor 20000000 4096 1234567"
  echo "$text"
  exit 0
}
bad() { # MESSAGE: a bad argument or option: one line and exit 2
  echo "slabworks native-anchor: $1 (see './slabworks native-anchor --help')" >&2
  exit 2
}
whole() { [[ "$1" =~ ^[0-9]{1,18}$ ]]; } # a whole number bash's arithmetic holds
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help|help) usage ;;
    --runs) [ $# -ge 2 ] || bad "--runs wants a number of runs"; runs="$2"; shift 2
            whole "$runs" && [ "$runs" -ge 1 ] || bad "--runs wants a whole number >= 1, not '$runs'" ;;
    --cpu) [ $# -ge 2 ] || bad "--cpu wants a CPU number"; cpu="$2"; shift 2
           whole "$cpu" || bad "--cpu wants a CPU number (0, 1, ...), not '$cpu'" ;;
    --) shift; break ;;
    -?*) bad "unknown option '$1'; options: --runs N, --cpu K" ;;
    *) break ;;
  esac
done
if [ $# -ne 3 ] && [ $# -ne 5 ]; then
  bad "takes ITERS WS SEED [MIN MAX] ($# argument$([ $# -eq 1 ] || echo s) given)"
fi
names=(ITERS WS SEED MIN MAX)
args=("$@")
for i in "${!args[@]}"; do
  if [ "$i" -eq 2 ]; then
    [[ "${args[$i]}" =~ ^[0-9]{1,20}$ ]] || bad "SEED must be an unsigned 64-bit integer, not '${args[$i]}'"
  else
    whole "${args[$i]}" || bad "${names[$i]} must be a whole number, not '${args[$i]}'"
  fi
done
[ "$1" -ge 1 ] || bad "ITERS must be >= 1, not $1"
[ "$2" -ge 1 ] || bad "WS must be >= 1, not $2"
if [ $# -eq 5 ] && { [ "$4" -gt "$5" ] || [ "$5" -gt 1073741824 ]; }; then
  bad "need MIN <= MAX <= 1073741824, not MIN=$4 MAX=$5"
fi
CC="${CC:-$(command -v cc || command -v gcc || command -v clang || true)}"
if [ -z "$CC" ]; then
  echo "slabworks native-anchor: no C compiler found (looked for cc, gcc, clang); install one, e.g. apt-get install gcc" >&2
  exit 1
fi
mkdir -p "$OUT"
BIN="$OUT/random_mixed"
if [ ! -x "$BIN" ] || [ "$HERE/random_mixed.c" -nt "$BIN" ]; then
  "$CC" -O2 -o "$BIN" "$HERE/random_mixed.c"
fi
pin=()
if command -v taskset >/dev/null 2>&1; then pin=(taskset -c "$cpu"); fi
LIBDIRS=(/usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib)
find_lib() { local d; for d in "${LIBDIRS[@]}"; do [ -e "$d/$1" ] && { echo "$d/$1"; return; }; done; }

median_of() { # PRELOAD NONE -> "median min max" in M ops/s (PRELOAD: a library or empty; NONE: 1 for the loop alone)
  local i
  for i in $(seq "$runs"); do
    if [ -n "$1" ]; then LD_PRELOAD="$1" "${pin[@]}" "$BIN" "${ARGS[@]}"; elif [ -n "$2" ]; then NONE=1 "${pin[@]}" "$BIN" "${ARGS[@]}"; else "${pin[@]}" "$BIN" "${ARGS[@]}"; fi
  done | sort -n | awk '{v[NR]=$1} END {printf "%.2f %.2f %.2f\n", v[int((NR+1)/2)]/1e6, v[1]/1e6, v[NR]/1e6}'
}

ARGS=("$@")
echo "random-mixed ${ARGS[*]} in C ($("$CC" --version | head -1)), $runs runs each${pin:+, pinned to CPU $cpu}; M ops/s"
printf '%-10s %9s %9s %9s %9s\n' allocator median min max vs-glibc
read -r gm gmin gmax < <(median_of "" "")
printf '%-10s %9s %9s %9s %9s\n' glibc "$gm" "$gmin" "$gmax" 1.00x
for pair in jemalloc:libjemalloc.so.2 mimalloc:libmimalloc.so.2 tcmalloc:libtcmalloc_minimal.so.4; do
  name="${pair%%:*}" lib="$(find_lib "${pair#*:}")"
  if [ -z "$lib" ]; then printf '%-10s %s\n' "$name" "not installed"; continue; fi
  read -r m mn mx < <(median_of "$lib" "")
  printf '%-10s %9s %9s %9s %8.2fx\n' "$name" "$m" "$mn" "$mx" "$(awk -v a="$m" -v b="$gm" 'BEGIN {print a / b}')"
done
read -r m mn mx < <(median_of "" 1)
printf '%-10s %9s %9s %9s %8.2fx\n' "loop alone" "$m" "$mn" "$mx" "$(awk -v a="$m" -v b="$gm" 'BEGIN {print a / b}')"
