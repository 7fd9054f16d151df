/*
 * xmalloc in C: the harness's Xmalloc op for op (xmalloc-test's producer/consumer pattern), for the native
 * anchors.
 *
 *   xmalloc THREADS ITERS MIN MAX
 *
 * THREADS pairs. The producer of pair i draws from an LCG s = s * 1664525 + 1013904223 seeded
 * 0x12345678 + i * 977, allocates ITERS blocks of MIN + r mod (MAX - MIN + 1) bytes (first byte written) in
 * batches of 64 and hands each batch to its consumer, which frees every block and gives the batch back;
 * 16 batches per pair cycle between two lock-free rings (a side waits only when the other is 16 batches
 * behind or ahead: a short spin, then sched_yield). Prints (allocations + frees) / seconds of the window from
 * the release of all threads to the end of the last.
 */
#include "twin.h"

#define BATCH 64
#define BATCHES 16

typedef struct {
    void **batches;
    twin_ring full;
    twin_ring empty;
    uint64_t iterations;
    uint64_t min;
    uint64_t span;
    uint32_t seed;
    uint64_t allocations, failed, producer_waits;
    uint64_t frees, consumer_waits;
} pair;

typedef struct {
    pair *p;
    int producer;
} side;

static void produce(pair *p) {
    uint32_t s = p->seed;
    for (uint64_t left = p->iterations; left > 0;) {
        uintptr_t k;
        for (int spins = 0; (k = twin_ring_poll(&p->empty)) == 0; spins++) {
            twin_back_off(spins);
            p->producer_waits++;
        }
        void **b = p->batches + (k - 1) * BATCH;
        uint64_t count = left < BATCH ? left : BATCH;
        for (uint64_t j = 0; j < BATCH; j++) {
            unsigned char *q = NULL;
            if (j < count) {
                uint64_t size = p->min + twin_lcg(&s) % p->span;
                q = twin_malloc(size);
                if (q != NULL) {
                    q[0] = (unsigned char) s;
                    p->allocations++;
                } else {
                    p->failed++;
                }
            }
            b[j] = q;
        }
        left -= count;
        twin_ring_offer(&p->full, k);
    }
}

static void consume(pair *p) {
    for (uint64_t batch = (p->iterations + BATCH - 1) / BATCH; batch > 0; batch--) {
        uintptr_t k;
        for (int spins = 0; (k = twin_ring_poll(&p->full)) == 0; spins++) {
            twin_back_off(spins);
            p->consumer_waits++;
        }
        void **b = p->batches + (k - 1) * BATCH;
        for (int j = 0; j < BATCH; j++) {
            if (b[j] != NULL) {
                twin_free(b[j]);
                b[j] = NULL;
                p->frees++;
            }
        }
        twin_ring_offer(&p->empty, k);
    }
}

static void *run_side(void *arg) {
    side *s = arg;
    if (s->producer) {
        produce(s->p);
    } else {
        consume(s->p);
    }
    return NULL;
}

int main(int argc, char **argv) {
    twin_init("xmalloc");
    if (argc != 5) {
        twin_usage("THREADS ITERS MIN MAX");
    }
    uint32_t threads = (uint32_t) twin_number("THREADS", argv[1], 1, 512);
    uint64_t iterations = (uint64_t) twin_number("ITERS", argv[2], 0, INT64_MAX);
    uint64_t min = (uint64_t) twin_number("MIN", argv[3], 1, 1 << 30);
    uint64_t max = (uint64_t) twin_number("MAX", argv[4], (long long) min, 1 << 30);
    twin_largest(max);
    pair *pairs = aligned_alloc(64, threads * sizeof *pairs);
    side *sides = calloc(2 * (size_t) threads, sizeof *sides);
    for (uint32_t i = 0; i < threads; i++) {
        pair *p = &pairs[i];
        memset(p, 0, sizeof *p);
        p->batches = calloc(BATCHES * BATCH, sizeof(void *));
        twin_ring_init(&p->full, BATCHES);
        twin_ring_init(&p->empty, BATCHES);
        for (uintptr_t k = 1; k <= BATCHES; k++) {
            twin_ring_offer(&p->empty, k);
        }
        p->iterations = iterations;
        p->min = min;
        p->span = max - min + 1;
        p->seed = 0x12345678u + i * 977u;
        sides[2 * i] = (side) {p, 1};
        sides[2 * i + 1] = (side) {p, 0};
    }
    double seconds = twin_together(2 * (int) threads, run_side, sides, sizeof *sides);
    uint64_t allocations = 0, frees = 0, failed = 0, producer_waits = 0, consumer_waits = 0;
    for (uint32_t i = 0; i < threads; i++) {
        allocations += pairs[i].allocations;
        frees += pairs[i].frees;
        failed += pairs[i].failed;
        producer_waits += pairs[i].producer_waits;
        consumer_waits += pairs[i].consumer_waits;
    }
    printf("%.0f\n", (double) (allocations + frees) / seconds);
    fprintf(stderr, "counts: allocations=%llu frees=%llu failedAllocations=%llu producerWaits=%llu consumerWaits=%llu\n",
            (unsigned long long) allocations, (unsigned long long) frees, (unsigned long long) failed,
            (unsigned long long) producer_waits, (unsigned long long) consumer_waits);
    return 0;
}
