/*
 * What the C twins of the harness's workloads share (one header, so each twin is only its loop): argument
 * and environment parsing with one-line errors (exit 2), the clock, the allocator or its stand-in, the
 * lock-free single-producer single-consumer ring the multi-thread twins hand blocks through, and running
 * threads released together.
 *
 * The allocator is whatever malloc/free the process links, so LD_PRELOAD swaps it. NONE=1 runs the loop
 * alone: twin_malloc returns one static block for every allocation and twin_free does nothing.
 *
 * Every twin prints its throughput (ops per second of its timed window) on standard output, alone on the
 * line, and "counts: KEY=VALUE ..." on standard error with the same keys as the Java workload's counts.
 */
#ifndef SLABWORKS_TWIN_H
#define SLABWORKS_TWIN_H

#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>

static const char *twin_name = "twin";
static int twin_none;
static unsigned char *twin_stand_in;

/* One line naming what was wrong, then exit 2 (a bad argument, as in the harness). */
static inline void twin_fail(const char *what, const char *text, const char *accepted) {
    fprintf(stderr, "%s: %s must be %s, not '%s'\n", twin_name, what, accepted, text);
    exit(2);
}

static inline void twin_usage(const char *form) {
    fprintf(stderr, "usage: %s %s\n", twin_name, form);
    exit(2);
}

/* A whole number in [min, max] ("_" allowed as in the harness), or exit 2. */
static inline long long twin_number(const char *what, const char *text, long long min, long long max) {
    char clean[64];
    size_t n = 0;
    for (const char *c = text; *c != '\0' && n < sizeof clean - 1; c++) {
        if (*c != '_') {
            clean[n++] = *c;
        }
    }
    clean[n] = '\0';
    char *end = NULL;
    errno = 0;
    long long v = strtoll(clean, &end, 10);
    if (n == 0 || *end != '\0' || errno != 0 || v < min || v > max) {
        char accepted[96];
        snprintf(accepted, sizeof accepted, "a whole number from %lld to %lld", min, max);
        twin_fail(what, text, accepted);
    }
    return v;
}

/* An environment knob read as the harness reads it: unset gives fallback. */
static inline long long twin_env_number(const char *name, long long fallback, long long min, long long max) {
    const char *e = getenv(name);
    return e == NULL ? fallback : twin_number(name, e, min, max);
}

static inline int twin_env_flag(const char *name) {
    const char *e = getenv(name);
    if (e == NULL) {
        return 0;
    }
    const char *on[] = {"1", "true", "on", "yes"};
    const char *off[] = {"0", "false", "off", "no"};
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(e, on[i]) == 0) {
            return 1;
        }
        if (strcasecmp(e, off[i]) == 0) {
            return 0;
        }
    }
    twin_fail(name, e, "true or false (also 1/0, on/off, yes/no)");
    return 0;
}

/* At exit: the process's peak resident set (ru_maxrss, KiB) on standard error, for native-anchor's memory column. */
static void twin_report_maxrss(void) {
    struct rusage u;
    if (getrusage(RUSAGE_SELF, &u) == 0) {
        fprintf(stderr, "maxrss: %ld\n", u.ru_maxrss);
    }
}

/* Call first: the name for messages. */
static inline void twin_init(const char *name) {
    twin_name = name;
    twin_none = getenv("NONE") != NULL;
    atexit(twin_report_maxrss);
}

/* Call once the arguments are read: the stand-in block of NONE=1, large enough for max_size. */
static inline void twin_largest(uint64_t max_size) {
    if (twin_none) {
        twin_stand_in = malloc(max_size + 1);
    }
}

static inline void *twin_malloc(size_t size) {
    return twin_none ? (void *) twin_stand_in : malloc(size);
}

static inline void twin_free(void *p) {
    if (!twin_none) {
        free(p);
    }
}

static inline double twin_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

/* xorshift32, the seed benchmark's generator. */
static inline uint32_t twin_xorshift32(uint32_t *x) {
    uint32_t v = *x;
    v ^= v << 13;
    v ^= v >> 17;
    v ^= v << 5;
    return *x = v;
}

/* The 32-bit LCG of the allocator team's multi-thread benchmarks. */
static inline uint32_t twin_lcg(uint32_t *s) {
    return *s = *s * 1664525u + 1013904223u;
}

/* splitmix64, the harness's random-mixed generator. */
static inline uint64_t twin_splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/*
 * A bounded single-producer single-consumer ring of non-zero words (0 means empty), capacity a power of
 * two: the producer publishes a slot with a release store of tail, the consumer frees it with a release
 * store of head; head and tail on cache lines of their own.
 */
typedef struct {
    _Alignas(64) _Atomic uint64_t head;
    _Alignas(64) _Atomic uint64_t tail;
    _Alignas(64) uint64_t mask;
    uintptr_t *items;
} twin_ring;

static inline void twin_ring_init(twin_ring *r, uint64_t capacity) {
    atomic_init(&r->head, 0);
    atomic_init(&r->tail, 0);
    r->mask = capacity - 1;
    r->items = calloc(capacity, sizeof *r->items);
}

static inline int twin_ring_offer(twin_ring *r, uintptr_t v) {
    uint64_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
    if (t - atomic_load_explicit(&r->head, memory_order_acquire) > r->mask) {
        return 0;
    }
    r->items[t & r->mask] = v;
    atomic_store_explicit(&r->tail, t + 1, memory_order_release);
    return 1;
}

static inline uintptr_t twin_ring_poll(twin_ring *r) {
    uint64_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
    if (h == atomic_load_explicit(&r->tail, memory_order_acquire)) {
        return 0;
    }
    uintptr_t v = r->items[h & r->mask];
    atomic_store_explicit(&r->head, h + 1, memory_order_release);
    return v;
}

/* A short spin, then the CPU given up: on a small shared machine the partner may not be running. */
static inline void twin_back_off(int spins) {
    if (spins < 128) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#elif defined(__aarch64__)
        __asm__ __volatile__("yield");
#endif
    } else {
        sched_yield();
    }
}

/* Threads released together once all have started; the window ends when the last has returned. */
typedef struct {
    void *(*body)(void *);
    void *arg;
    _Atomic int *ready;
    _Atomic int *go;
} twin_start;

static inline void *twin_started(void *p) {
    twin_start *s = p;
    atomic_fetch_add(s->ready, 1);
    while (!atomic_load_explicit(s->go, memory_order_acquire)) {
        sched_yield();
    }
    return s->body(s->arg);
}

/* Runs body(args + i * arg_size) on n threads released together; returns the window in seconds. */
static inline double twin_together(int n, void *(*body)(void *), void *args, size_t arg_size) {
    pthread_t *threads = calloc((size_t) n, sizeof *threads);
    twin_start *starts = calloc((size_t) n, sizeof *starts);
    _Atomic int ready = 0;
    _Atomic int go = 0;
    for (int i = 0; i < n; i++) {
        starts[i] = (twin_start) {body, (char *) args + (size_t) i * arg_size, &ready, &go};
        if (pthread_create(&threads[i], NULL, twin_started, &starts[i]) != 0) {
            fprintf(stderr, "%s: cannot start thread %d\n", twin_name, i);
            exit(1);
        }
    }
    while (atomic_load(&ready) < n) {
        sched_yield();
    }
    double t0 = twin_now();
    atomic_store_explicit(&go, 1, memory_order_release);
    for (int i = 0; i < n; i++) {
        pthread_join(threads[i], NULL);
    }
    double seconds = twin_now() - t0;
    free(starts);
    free(threads);
    return seconds;
}

#endif
