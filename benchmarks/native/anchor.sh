#!/usr/bin/env bash
# ./slabworks native-anchor [--runs N] [--cpu K] [WORKLOAD] ARGS...
# A workload's C twin (benchmarks/native/, the harness's loop op for op) on native allocators: compiled with the
# system's C compiler, run N times per allocator (default 15; larson, which runs for SECONDS each time, 3); glibc,
# then jemalloc, mimalloc and tcmalloc where installed (swapped with LD_PRELOAD), then the loop alone (NONE=1: one
# static block stands for every allocation). Single-thread workloads are pinned to one CPU (default 1) when
# taskset exists; multi-thread ones only with --cpu. Prints the median, min and max M ops/s, the median's ratio to
# glibc's and the workload's counts from glibc's last run.
# WORKLOAD: random-mixed (also when ARGS start with a number, as before), hakmem-random-mixed, dist-mixed,
# mt-remote, larson, xmalloc; the arguments are those of './slabworks bench WORKLOAD ...'.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/../target/native"
USAGE="usage: ./slabworks native-anchor [--runs N] [--cpu K] [WORKLOAD] ARGS...
  random-mixed ITERS WS SEED [MIN MAX]          (the default workload)
  hakmem-random-mixed CYCLES WS SEED [MIN MAX]  (HAKMEM_BENCH_PREFAULT, _WARMUP, _C5_ONLY.. as in the harness)
  dist-mixed ITERS WS SEED DIST
  mt-remote THREADS ITERS WS MIN MAX REMOTE_PCT [RING_SLOTS]
  larson THREADS SECONDS MIN MAX BLOCKS_PER_THREAD ROUNDS
  xmalloc THREADS ITERS MIN MAX"
usage() { echo "slabworks native-anchor: $1 (see './slabworks native-anchor --help')" >&2; exit 2; }

runs="" cpu=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help|help) echo "$USAGE"; exit 0 ;;
    --runs) [ $# -ge 2 ] || usage "--runs wants a number of runs"; runs="$2"; shift 2 ;;
    --cpu) [ $# -ge 2 ] || usage "--cpu wants a CPU number"; cpu="$2"; shift 2 ;;
    -?*) usage "unknown option '$1'; options: --runs N, --cpu K" ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || usage "a workload and its arguments are wanted"
workload=random-mixed
case "$1" in
  [0-9]*) ;;
  *) workload="$1"; shift ;;
esac
# per workload: its C source, the argument counts it takes, whether it runs threads of its own
case "$workload" in
  random-mixed) src=random_mixed counts="3 5" threaded=0 ;;
  hakmem-random-mixed) src=hakmem_random_mixed counts="3 5" threaded=0 ;;
  dist-mixed) src=dist_mixed counts="4" threaded=0 ;;
  mt-remote) src=mt_remote counts="6 7" threaded=1 ;;
  larson) src=larson counts="6" threaded=1 ;;
  xmalloc) src=xmalloc counts="4" threaded=1 ;;
  *) usage "unknown workload '$workload'; accepted: random-mixed, hakmem-random-mixed, dist-mixed, mt-remote, larson, xmalloc" ;;
esac
[[ " $counts " == *" $# "* ]] || usage "$workload takes $(echo "$USAGE" | grep -m1 "^  $workload " | sed "s/^  $workload //; s/  *(.*//") ($# arguments given)"
[ -n "$runs" ] || runs=$([ "$workload" = larson ] && echo 3 || echo 15)
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || usage "--runs wants a whole number >= 1, not '$runs'"
[ -z "$cpu" ] || [[ "$cpu" =~ ^[0-9]+$ ]] || usage "--cpu wants a CPU number, not '$cpu'"

CC="${CC:-$(command -v cc || command -v gcc || command -v clang || true)}"
if [ -z "$CC" ]; then
  echo "slabworks native-anchor: no C compiler found (looked for cc, gcc, clang); install one, e.g. apt-get install gcc" >&2
  exit 1
fi
mkdir -p "$OUT"
BIN="$OUT/$src"
if [ ! -x "$BIN" ] || [ "$HERE/$src.c" -nt "$BIN" ] || [ "$HERE/twin.h" -nt "$BIN" ]; then
  "$CC" -O2 -pthread -o "$BIN" "$HERE/$src.c"
fi
pin=()
if command -v taskset >/dev/null 2>&1; then
  if [ -n "$cpu" ]; then pin=(taskset -c "$cpu"); elif [ "$threaded" = 0 ]; then cpu=1; pin=(taskset -c 1); fi
fi
LIBDIRS=(/usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib)
find_lib() { local d; for d in "${LIBDIRS[@]}"; do [ -e "$d/$1" ] && { echo "$d/$1"; return; }; done; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
unset NONE REPEAT # the twins read these from the environment: here only one_run sets them (one figure a run)

one_run() { # PRELOAD NONE: one run; its ops/s appended to $TMP/values, its counts line kept; a failed run stops all
  local rc=0
  if [ -n "$1" ]; then LD_PRELOAD="$1" "${pin[@]}" "$BIN" "${ARGS[@]}" >>"$TMP/values" 2>"$TMP/err" || rc=$?
  elif [ -n "$2" ]; then NONE=1 "${pin[@]}" "$BIN" "${ARGS[@]}" >>"$TMP/values" 2>"$TMP/err" || rc=$?
  else "${pin[@]}" "$BIN" "${ARGS[@]}" >>"$TMP/values" 2>"$TMP/err" || rc=$?
  fi
  if [ "$rc" -ne 0 ]; then
    grep -v '^counts:\|^maxrss:' "$TMP/err" | sed 's/^/slabworks native-anchor: /' >&2
    exit "$rc"
  fi
  grep '^counts:' "$TMP/err" > "$TMP/counts" || true
  grep '^maxrss:' "$TMP/err" | awk '{print $2}' >> "$TMP/rss" || true
}

median_of() { # PRELOAD NONE -> "median min max" in M ops/s in $TMP/median (PRELOAD: a library or empty; NONE: 1 for the loop alone)
  local i
  : > "$TMP/values"
  : > "$TMP/rss"
  for i in $(seq "$runs"); do one_run "$1" "$2"; done
  rss="$(sort -n "$TMP/rss" | awk '{v[NR]=$1} END {if (NR) printf "%.2f", v[int((NR+1)/2)]/1024; else printf "n/a"}')"
  sort -n "$TMP/values" | awk -v rss="$rss" '{v[NR]=$1} END {printf "%.2f %.2f %.2f %s\n", v[int((NR+1)/2)]/1e6, v[1]/1e6, v[NR]/1e6, rss}' > "$TMP/median"
}

ARGS=("$@")
median_of "" "" # first, so that arguments the twin refuses stop the command before any table
read -r gm gmin gmax grss < "$TMP/median"
echo "$workload ${ARGS[*]} in C ($("$CC" --version | head -1)), $runs runs each${pin:+, pinned to CPU $cpu}; M ops/s"
echo "max-rss: the median run's peak resident set of the whole process (ru_maxrss, MiB): the allocator's memory and the loop's"
printf '%-10s %9s %9s %9s %9s %9s\n' allocator median min max vs-glibc max-rss
glibc_counts="$(cat "$TMP/counts")"
printf '%-10s %9s %9s %9s %9s %9s\n' glibc "$gm" "$gmin" "$gmax" 1.00x "$grss"
for triple in jemalloc:libjemalloc.so.2:libjemalloc2 mimalloc:libmimalloc.so.2:libmimalloc2.0 tcmalloc:libtcmalloc_minimal.so.4:libtcmalloc-minimal4; do
  IFS=: read -r name file package <<< "$triple"
  lib="$(find_lib "$file")"
  if [ -z "$lib" ]; then printf '%-10s %s\n' "$name" "skipped: $file not installed (apt-get install $package)"; continue; fi
  median_of "$lib" ""
  read -r m mn mx rss < "$TMP/median"
  printf '%-10s %9s %9s %9s %8.2fx %9s\n' "$name" "$m" "$mn" "$mx" "$(awk -v a="$m" -v b="$gm" 'BEGIN {print a / b}')" "$rss"
done
median_of "" 1
read -r m mn mx rss < "$TMP/median"
printf '%-10s %9s %9s %9s %8.2fx %9s\n' "loop alone" "$m" "$mn" "$mx" "$(awk -v a="$m" -v b="$gm" 'BEGIN {print a / b}')" "$rss"
[ -z "$glibc_counts" ] || echo "glibc, last run: $glibc_counts"
