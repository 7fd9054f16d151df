/*
 * mt-remote in C: the harness's MtRemote op for op (the allocator team's multi-thread remote-free
 * benchmark), for the native anchors.
 *
 *   mt_remote THREADS ITERS WS MIN MAX REMOTE_PCT [RING_SLOTS]     RING_SLOTS a power of two, default 65536
 *
 * Thread i: LCG s = s * 1664525 + 1013904223 seeded 0x12345678 + i * 977, WS slots, an outgoing ring read by
 * thread i + 1. Per iteration: free everything in the incoming ring (ops); r1 picks the slot, r2 the size
 * (MIN + r2 mod (MAX - MIN + 1)); a full slot is emptied: with more than one thread and r3 mod 100 < REMOTE_PCT
 * its block goes to the outgoing ring (a full ring: a local free, a fallback), else a local free; an empty
 * slot gets malloc(size). After the loop the incoming ring is drained once more. Prints ops / seconds of the
 * window from the release of all threads to the end of the last; the rest is freed untimed.
 */
#include "twin.h"

typedef struct {
    uint32_t seed;
    uint32_t threads;
    uint64_t iterations;
    uint32_t ws;
    uint64_t min;
    uint64_t span;
    uint32_t remote_pct;
    twin_ring *inbox;
    twin_ring *outbox;
    void **slots;
    uint64_t allocations, local, sends, fallbacks, received, failed;
} worker;

static inline void drain(worker *w) {
    uintptr_t q;
    while ((q = twin_ring_poll(w->inbox)) != 0) {
        twin_free((void *) q);
        w->received++;
    }
}

static void *loop(void *arg) {
    worker *w = arg;
    uint32_t s = w->seed;
    int remote = w->threads > 1;
    for (uint64_t i = 0; i < w->iterations; i++) {
        drain(w);
        uint32_t slot = twin_lcg(&s) % w->ws;
        uint64_t size = w->min + twin_lcg(&s) % w->span;
        void *p = w->slots[slot];
        if (p != NULL) {
            if (remote && twin_lcg(&s) % 100u < w->remote_pct) {
                if (twin_ring_offer(w->outbox, (uintptr_t) p)) {
                    w->sends++;
                } else {
                    twin_free(p);
                    w->fallbacks++;
                }
            } else {
                twin_free(p);
                w->local++;
            }
            w->slots[slot] = NULL;
        } else {
            p = twin_malloc(size);
            if (p == NULL) {
                w->failed++;
                continue;
            }
            w->slots[slot] = p;
            w->allocations++;
        }
    }
    drain(w);
    return NULL;
}

int main(int argc, char **argv) {
    twin_init("mt_remote");
    if (argc != 7 && argc != 8) {
        twin_usage("THREADS ITERS WS MIN MAX REMOTE_PCT [RING_SLOTS]");
    }
    uint32_t threads = (uint32_t) twin_number("THREADS", argv[1], 1, 1024);
    uint64_t iterations = (uint64_t) twin_number("ITERS", argv[2], 0, INT64_MAX);
    uint32_t ws = (uint32_t) twin_number("WS", argv[3], 1, 1 << 28);
    uint64_t min = (uint64_t) twin_number("MIN", argv[4], 1, 1 << 30);
    uint64_t max = (uint64_t) twin_number("MAX", argv[5], (long long) min, 1 << 30);
    uint32_t pct = (uint32_t) twin_number("REMOTE_PCT", argv[6], 0, 100);
    uint64_t ring_slots = argc == 8 ? (uint64_t) twin_number("RING_SLOTS", argv[7], 1, 1 << 24) : 65536;
    if ((ring_slots & (ring_slots - 1)) != 0) {
        twin_fail("RING_SLOTS", argv[7], "a power of two");
    }
    twin_largest(max);
    twin_ring *rings = aligned_alloc(64, threads * sizeof *rings);
    worker *workers = calloc(threads, sizeof *workers);
    for (uint32_t i = 0; i < threads; i++) {
        twin_ring_init(&rings[i], ring_slots);
    }
    for (uint32_t i = 0; i < threads; i++) {
        workers[i] = (worker) {.seed = 0x12345678u + i * 977u, .threads = threads, .iterations = iterations,
                               .ws = ws, .min = min, .span = max - min + 1, .remote_pct = pct,
                               .inbox = &rings[(i + threads - 1) % threads], .outbox = &rings[i],
                               .slots = calloc(ws, sizeof(void *))};
    }
    double seconds = twin_together((int) threads, loop, workers, sizeof *workers);

    uint64_t allocations = 0, local = 0, sends = 0, fallbacks = 0, received = 0, failed = 0;
    for (uint32_t i = 0; i < threads; i++) {
        worker *w = &workers[i];
        allocations += w->allocations;
        local += w->local;
        sends += w->sends;
        fallbacks += w->fallbacks;
        received += w->received;
        failed += w->failed;
        uintptr_t q;
        while ((q = twin_ring_poll(&rings[i])) != 0) {
            twin_free((void *) q);
        }
        for (uint32_t s = 0; s < ws; s++) {
            if (w->slots[s] != NULL) {
                twin_free(w->slots[s]);
            }
        }
    }
    uint64_t emptied = sends + local + fallbacks;
    printf("%.0f\n", (double) (allocations + emptied + received) / seconds);
    fprintf(stderr, "counts: allocations=%llu localFrees=%llu remoteSends=%llu remoteFallbacks=%llu receivedFrees=%llu "
            "failedAllocations=%llu remoteSharePct=%.2f fallbackPct=%.2f\n",
            (unsigned long long) allocations, (unsigned long long) local, (unsigned long long) sends,
            (unsigned long long) fallbacks, (unsigned long long) received, (unsigned long long) failed,
            emptied == 0 ? 0.0 : 100.0 * (double) sends / (double) emptied,
            sends + fallbacks == 0 ? 0.0 : 100.0 * (double) fallbacks / (double) (sends + fallbacks));
    return 0;
}
