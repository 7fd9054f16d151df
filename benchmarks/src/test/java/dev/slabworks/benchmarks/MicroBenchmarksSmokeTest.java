package dev.slabworks.benchmarks;

import java.util.List;

/** {@link SuiteSmoke} on the benchmarks of one operation: a size class's pair, a remote free, the segment adapters. */
class MicroBenchmarksSmokeTest extends SuiteSmoke {
    @Override
    List<String> benchmarks() {
        return MICRO;
    }
}
