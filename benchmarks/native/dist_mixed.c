/*
 * dist-mixed in C: the harness's DistMixed op for op, for the native anchors.
 *
 *   dist_mixed ITERS WS SEED DIST      DIST: uniform:MIN:MAX, app, or trimix:LO1:HI1:W1:LO2:HI2:W2:LO3:HI3:W3
 *
 * Per iteration: r = splitmix64(); slot = r mod WS; a full slot is freed and emptied, an empty one gets
 * malloc(size(splitmix64())) and a write to its first and last byte. size(r): the high 32 bits of r pick a
 * bucket by weight, the low 32 bits a size in it, each by multiply-and-shift (SizeDistribution). Prints
 * ITERS / seconds of the loop; the blocks still live afterwards are freed untimed.
 */
#include "twin.h"

#define APP "trimix:16:256:80:257:2048:15:2049:32768:5"

static uint64_t lo[3];
static uint64_t span[3];
static uint64_t limit[3];
static int buckets;

static void parse_dist(const char *text) {
    const char *spec = strcmp(text, "app") == 0 ? APP : text;
    char copy[256];
    snprintf(copy, sizeof copy, "%s", spec);
    char *save = NULL;
    char *kind = strtok_r(copy, ":", &save);
    long long v[9];
    int n = 0;
    for (char *part; n < 9 && (part = strtok_r(NULL, ":", &save)) != NULL; n++) {
        v[n] = twin_number("a DIST number", part, 0, 1LL << 30);
    }
    const char *accepted = "uniform:MIN:MAX, app or trimix:LO1:HI1:W1:LO2:HI2:W2:LO3:HI3:W3";
    if (kind != NULL && strcmp(kind, "uniform") == 0 && n == 2 && strtok_r(NULL, ":", &save) == NULL) {
        buckets = 1;
        v[2] = 1;
    } else if (kind != NULL && strcmp(kind, "trimix") == 0 && n == 9 && strtok_r(NULL, ":", &save) == NULL) {
        buckets = 3;
    } else {
        twin_fail("DIST", text, accepted);
    }
    uint64_t total = 0;
    for (int b = 0; b < buckets; b++) {
        if (v[3 * b + 1] < v[3 * b]) {
            twin_fail("DIST", text, "ranges with LO <= HI");
        }
        lo[b] = (uint64_t) v[3 * b];
        span[b] = (uint64_t) (v[3 * b + 1] - v[3 * b] + 1);
        total += (uint64_t) v[3 * b + 2];
        limit[b] = total;
    }
    if (total < 1 || total > INT32_MAX) {
        twin_fail("DIST", text, "weights adding up to 1..2147483647");
    }
}

static inline uint64_t size_of(uint64_t r) {
    uint64_t u = ((r >> 32) * limit[buckets - 1]) >> 32;
    int b = 0;
    while (u >= limit[b]) {
        b++;
    }
    return lo[b] + (((r & 0xFFFFFFFFULL) * span[b]) >> 32);
}

int main(int argc, char **argv) {
    twin_init("dist_mixed");
    if (argc != 5) {
        twin_usage("ITERS WS SEED DIST");
    }
    uint64_t iterations = (uint64_t) twin_number("ITERS", argv[1], 0, INT64_MAX);
    uint64_t ws = (uint64_t) twin_number("WS", argv[2], 1, 1 << 28);
    char *end = NULL;
    errno = 0;
    /* a 64-bit seed, negative ones as two's complement like the harness's */
    uint64_t state = argv[3][0] == '-' ? (uint64_t) strtoll(argv[3], &end, 10) : strtoull(argv[3], &end, 10);
    if (argv[3][0] == '\0' || *end != '\0' || errno != 0) {
        twin_fail("SEED", argv[3], "a 64-bit integer");
    }
    parse_dist(argv[4]);
    uint64_t largest = 0;
    for (int b = 0; b < buckets; b++) {
        largest = lo[b] + span[b] > largest ? lo[b] + span[b] : largest;
    }
    twin_largest(largest);
    unsigned char **slots = calloc(ws, sizeof *slots);
    uint64_t allocations = 0;

    double t0 = twin_now();
    for (uint64_t i = 0; i < iterations; i++) {
        uint64_t slot = twin_splitmix64(&state) % ws;
        unsigned char *p = slots[slot];
        if (p != NULL) {
            twin_free(p);
            slots[slot] = NULL;
        } else {
            uint64_t size = size_of(twin_splitmix64(&state));
            p = twin_malloc(size);
            if (size > 0) {
                p[0] = (unsigned char) i;
                p[size - 1] = (unsigned char) i;
            }
            slots[slot] = p;
            allocations++;
        }
    }
    double seconds = twin_now() - t0;
    for (uint64_t s = 0; s < ws; s++) {
        if (slots[s] != NULL) {
            twin_free(slots[s]);
        }
    }
    printf("%.0f\n", (double) iterations / seconds);
    fprintf(stderr, "counts: allocations=%llu frees=%llu\n", (unsigned long long) allocations,
            (unsigned long long) (iterations - allocations));
    free(slots);
    return 0;
}
