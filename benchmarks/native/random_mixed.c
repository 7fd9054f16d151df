/*
 * random-mixed in C: the loop of the harness's RandomMixed, op for op (docs/DESIGN.md §2, §17), for the
 * native anchors: the allocator is whatever malloc/free the process links, so LD_PRELOAD swaps it.
 *
 *   random_mixed ITERS WS SEED [MIN MAX]     prints "<ops per second>" (the timed loop only)
 *   NONE=1 random_mixed ...                  the loop alone: one static block stands for every allocation
 *   REPEAT=N random_mixed ...                the timed loop N times in one process, one figure a line (the
 *                                            random stream and the slots carry on): a process slow in every
 *                                            line is slow for its whole life, which a period of the host is not
 *
 * Per iteration: r = splitmix64(); slot = r mod WS; a full slot is freed and emptied, an empty one gets
 * malloc(MIN + splitmix64() mod (MAX - MIN + 1)) and a write to its first and last byte. The blocks still
 * live afterwards are freed untimed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/resource.h>

static uint64_t state;

static inline uint64_t next(void) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 6) {
        fprintf(stderr, "usage: random_mixed ITERS WS SEED [MIN MAX]\n");
        return 2;
    }
    uint64_t iterations = strtoull(argv[1], NULL, 10);
    uint64_t ws = strtoull(argv[2], NULL, 10);
    state = strtoull(argv[3], NULL, 10);
    uint64_t min = argc == 6 ? strtoull(argv[4], NULL, 10) : 16;
    uint64_t max = argc == 6 ? strtoull(argv[5], NULL, 10) : 1024;
    if (ws < 1 || max < min || max > (1ULL << 30)) {
        fprintf(stderr, "random_mixed: need WS >= 1 and MIN <= MAX <= 1073741824\n");
        return 2;
    }
    int none = getenv("NONE") != NULL;
    long repeat = 1;
    if (getenv("REPEAT") != NULL) {
        char *end;
        errno = 0;
        repeat = strtol(getenv("REPEAT"), &end, 10);
        if (errno != 0 || end == getenv("REPEAT") || *end != '\0' || repeat < 1) {
            fprintf(stderr, "random_mixed: REPEAT must be a whole number >= 1, not '%s'\n", getenv("REPEAT"));
            return 2;
        }
    }
    unsigned char *stand_in = none ? malloc(max + 1) : NULL;
    unsigned char **slots = calloc(ws, sizeof *slots);
    uint64_t span = max - min + 1;

    for (long r = 0; r < repeat; r++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (uint64_t i = 0; i < iterations; i++) {
            uint64_t slot = next() % ws;
            unsigned char *p = slots[slot];
            if (p != NULL) {
                if (!none) {
                    free(p);
                }
                slots[slot] = NULL;
            } else {
                uint64_t size = min + next() % span;
                p = none ? stand_in : malloc(size);
                if (size > 0) {
                    p[0] = (unsigned char) i;
                    p[size - 1] = (unsigned char) i;
                }
                slots[slot] = p;
            }
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double seconds = (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9;
        printf("%.0f\n", (double) iterations / seconds);
    }
    if (!none) {
        for (uint64_t s = 0; s < ws; s++) {
            free(slots[s]);
        }
    }
    struct rusage u; /* the process's peak resident set, for native-anchor's memory column (as twin.h does) */
    if (getrusage(RUSAGE_SELF, &u) == 0) {
        fprintf(stderr, "maxrss: %ld\n", u.ru_maxrss);
    }
    return 0;
}
