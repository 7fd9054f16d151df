/*
 * larson in C: the harness's Larson op for op (Larson's server simulation as mimalloc-bench runs it), for
 * the native anchors.
 *
 *   larson THREADS SECONDS MIN MAX BLOCKS_PER_THREAD ROUNDS      SECONDS may have decimals
 *
 * THREADS lanes, each an array of BLOCKS_PER_THREAD blocks and an LCG s = s * 1664525 + 1013904223 seeded
 * 0x12345678 + lane * 977. Untimed: the main thread fills every array (size MIN + r mod (MAX - MIN + 1), first
 * and last byte written). Timed: each lane runs on a thread; per iteration victim = r1 mod BLOCKS is freed and
 * a block of MIN + r2 mod (MAX - MIN + 1) bytes takes its place, first and last byte written; after
 * ROUNDS x BLOCKS iterations the thread starts a new thread with the lane and ends. After SECONDS every lane
 * stops within one iteration; every generation makes at least one. Prints (allocations + frees) / seconds of the window; the arrays are freed
 * untimed.
 */
#include "twin.h"

typedef struct {
    void **blocks;
    uint32_t n;
    uint32_t state;
    uint64_t min;
    uint64_t span;
    uint64_t rounds;
    uint64_t allocations, frees, failed, threads;
} lane;

static _Atomic int stop;
static _Atomic int done;
static _Atomic int ready;
static _Atomic int go;

static void *generation(void *arg) {
    lane *l = arg;
    if (l->threads++ == 0) { /* the first generations start together, like the harness's */
        atomic_fetch_add(&ready, 1);
        while (!atomic_load_explicit(&go, memory_order_acquire)) {
            sched_yield();
        }
    }
    uint32_t s = l->state;
    int stopped = 0;
    uint64_t total = l->rounds * l->n;
    for (uint64_t i = total; i > 0; i--) {
        /* at least one iteration a generation: a thread the kernel kept waiting past SECONDS still counts */
        if (i != total && atomic_load_explicit(&stop, memory_order_relaxed)) {
            stopped = 1;
            break;
        }
        uint32_t victim = twin_lcg(&s) % l->n;
        if (l->blocks[victim] != NULL) {
            twin_free(l->blocks[victim]);
            l->blocks[victim] = NULL;
            l->frees++;
        }
        uint64_t size = l->min + twin_lcg(&s) % l->span;
        unsigned char *p = twin_malloc(size);
        if (p == NULL) {
            l->failed++;
            continue;
        }
        p[0] = (unsigned char) s;
        p[size - 1] = (unsigned char) (s >> 8);
        l->blocks[victim] = p;
        l->allocations++;
    }
    l->state = s;
    pthread_t next;
    if (!stopped && !atomic_load_explicit(&stop, memory_order_relaxed)
        && pthread_create(&next, NULL, generation, l) == 0) {
        pthread_detach(next);
    } else {
        atomic_fetch_add_explicit(&done, 1, memory_order_release);
    }
    return NULL;
}

int main(int argc, char **argv) {
    twin_init("larson");
    if (argc != 7) {
        twin_usage("THREADS SECONDS MIN MAX BLOCKS_PER_THREAD ROUNDS");
    }
    uint32_t threads = (uint32_t) twin_number("THREADS", argv[1], 1, 1024);
    char *end = NULL;
    double limit = strtod(argv[2], &end);
    if (*end != '\0' || !(limit >= 0.001 && limit <= 86400)) {
        twin_fail("SECONDS", argv[2], "a number of seconds from 0.001 to 86400");
    }
    uint64_t min = (uint64_t) twin_number("MIN", argv[3], 1, 1 << 30);
    uint64_t max = (uint64_t) twin_number("MAX", argv[4], (long long) min, 1 << 30);
    uint32_t n = (uint32_t) twin_number("BLOCKS_PER_THREAD", argv[5], 1, 1 << 28);
    uint64_t rounds = (uint64_t) twin_number("ROUNDS", argv[6], 1, 1 << 28);
    twin_largest(max);
    lane *lanes = calloc(threads, sizeof *lanes);
    for (uint32_t t = 0; t < threads; t++) {
        lane *l = &lanes[t];
        *l = (lane) {.blocks = calloc(n, sizeof(void *)), .n = n, .state = 0x12345678u + t * 977u, .min = min,
                     .span = max - min + 1, .rounds = rounds};
        for (uint32_t i = 0; i < n; i++) {
            uint64_t size = min + twin_lcg(&l->state) % l->span;
            unsigned char *p = twin_malloc(size);
            p[0] = (unsigned char) l->state;
            p[size - 1] = (unsigned char) (l->state >> 8);
            l->blocks[i] = p;
        }
    }
    /* the window: from the release of the first generations, once all have started, to the end of the last
       lane */
    pthread_t *first = calloc(threads, sizeof *first);
    for (uint32_t t = 0; t < threads; t++) {
        if (pthread_create(&first[t], NULL, generation, &lanes[t]) != 0) {
            fprintf(stderr, "larson: cannot start thread %u\n", t);
            return 1;
        }
        pthread_detach(first[t]);
    }
    while (atomic_load(&ready) < (int) threads) {
        sched_yield();
    }
    double t0 = twin_now();
    atomic_store_explicit(&go, 1, memory_order_release);
    struct timespec nap = {(time_t) limit, (long) ((limit - (double) (time_t) limit) * 1e9)};
    while (nanosleep(&nap, &nap) != 0 && errno == EINTR) {
    }
    atomic_store(&stop, 1);
    while (atomic_load_explicit(&done, memory_order_acquire) < (int) threads) {
        sched_yield();
    }
    double seconds = twin_now() - t0;

    uint64_t allocations = 0, frees = 0, failed = 0, started = 0;
    for (uint32_t t = 0; t < threads; t++) {
        lane *l = &lanes[t];
        allocations += l->allocations;
        frees += l->frees;
        failed += l->failed;
        started += l->threads;
        for (uint32_t i = 0; i < n; i++) {
            if (l->blocks[i] != NULL) {
                twin_free(l->blocks[i]);
            }
        }
    }
    printf("%.0f\n", (double) (allocations + frees) / seconds);
    fprintf(stderr, "counts: allocations=%llu frees=%llu threads=%llu failedAllocations=%llu\n",
            (unsigned long long) allocations, (unsigned long long) frees, (unsigned long long) started,
            (unsigned long long) failed);
    return 0;
}
