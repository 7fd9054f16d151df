/*
 * hakmem-random-mixed in C: the harness's HakmemRandomMixed op for op, itself the allocator team's
 * bench_random_mixed.c (DESIGN.md section 9), for the native anchors.
 *
 *   hakmem_random_mixed CYCLES WS SEED [MIN MAX]
 *
 * Per iteration: r = xorshift32(); slot = r mod WS; a full slot is freed and emptied; an empty one gets
 * malloc(min(max(16 + (r & 0x3FF), MIN), MAX)) with its first byte set to (unsigned char) r (a failed
 * allocation leaves it empty). Untimed first: HAKMEM_BENCH_WARMUP iterations from SEED, drained (default 0),
 * then HAKMEM_BENCH_PREFAULT iterations from SEED + 0xDEADBEEF, left live (unset or -1: CYCLES / 10).
 * Timed: CYCLES iterations from SEED and the drain; prints CYCLES / seconds. HAKMEM_BENCH_C5_ONLY / C6_ONLY /
 * C7_ONLY fix every size at 256 / 512 / 1024. The environment is read as the harness reads these knobs
 * (so -1 for the default prefault and true/false flags, where the original reads any other negative
 * prefault as none and any flag not starting with '0' as on).
 */
#include "twin.h"

typedef struct {
    uint64_t allocations;
    uint64_t frees;
    uint64_t failed;
} phase;

static phase iterate(void **slots, uint32_t ws, uint32_t seed, uint64_t iterations, size_t min, size_t max) {
    phase p = {0, 0, 0};
    uint32_t x = seed;
    for (uint64_t i = 0; i < iterations; i++) {
        uint32_t r = twin_xorshift32(&x);
        uint32_t slot = r % ws;
        if (slots[slot] != NULL) {
            twin_free(slots[slot]);
            slots[slot] = NULL;
            p.frees++;
        } else {
            size_t size = 16u + (r & 0x3FFu);
            if (size < min) {
                size = min;
            }
            if (size > max) {
                size = max;
            }
            unsigned char *q = twin_malloc(size);
            if (q == NULL) {
                p.failed++;
                continue;
            }
            q[0] = (unsigned char) r;
            slots[slot] = q;
            p.allocations++;
        }
    }
    return p;
}

static uint64_t drain(void **slots, uint32_t ws) {
    uint64_t frees = 0;
    for (uint32_t i = 0; i < ws; i++) {
        if (slots[i] != NULL) {
            twin_free(slots[i]);
            slots[i] = NULL;
            frees++;
        }
    }
    return frees;
}

int main(int argc, char **argv) {
    twin_init("hakmem_random_mixed");
    if (argc != 4 && argc != 6) {
        twin_usage("CYCLES WS SEED [MIN MAX]");
    }
    uint64_t cycles = (uint64_t) twin_number("CYCLES", argv[1], 0, INT64_MAX);
    uint32_t ws = (uint32_t) twin_number("WS", argv[2], 1, 1 << 28);
    uint32_t seed = (uint32_t) twin_number("SEED", argv[3], 0, UINT32_MAX);
    size_t min = argc == 6 ? (size_t) twin_number("MIN", argv[4], 1, 1 << 30) : 16;
    size_t max = argc == 6 ? (size_t) twin_number("MAX", argv[5], (long long) min, 1 << 30) : 16 + 0x3FF;
    if (twin_env_flag("HAKMEM_BENCH_C5_ONLY")) {
        min = max = 256;
    } else if (twin_env_flag("HAKMEM_BENCH_C6_ONLY")) {
        min = max = 512;
    } else if (twin_env_flag("HAKMEM_BENCH_C7_ONLY")) {
        min = max = 1024;
    }
    uint64_t warmup = (uint64_t) twin_env_number("HAKMEM_BENCH_WARMUP", 0, 0, INT32_MAX);
    long long prefault_knob = twin_env_number("HAKMEM_BENCH_PREFAULT", -1, -1, INT32_MAX);
    uint64_t prefault = prefault_knob < 0 ? cycles / 10 : (uint64_t) prefault_knob;
    twin_largest(max);

    void **slots = calloc(ws, sizeof *slots);
    phase w = iterate(slots, ws, seed, warmup, min, max);
    drain(slots, ws);
    phase p = iterate(slots, ws, seed + 0xDEADBEEFu, prefault, min, max);

    double t0 = twin_now();
    phase loop = iterate(slots, ws, seed, cycles, min, max);
    uint64_t drained = drain(slots, ws);
    double seconds = twin_now() - t0;

    printf("%.0f\n", (double) cycles / seconds);
    fprintf(stderr, "counts: warmupAllocations=%llu prefaultAllocations=%llu prefaultFrees=%llu loopAllocations=%llu "
            "loopFrees=%llu drainFrees=%llu failedAllocations=%llu\n",
            (unsigned long long) w.allocations, (unsigned long long) p.allocations, (unsigned long long) p.frees,
            (unsigned long long) loop.allocations, (unsigned long long) loop.frees, (unsigned long long) drained,
            (unsigned long long) (w.failed + p.failed + loop.failed));
    free(slots);
    return 0;
}
