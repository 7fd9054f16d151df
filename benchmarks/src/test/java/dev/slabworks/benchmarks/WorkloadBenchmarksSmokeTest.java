package dev.slabworks.benchmarks;

import java.util.List;

/** {@link SuiteSmoke} on the workload benchmarks: random-mixed, the team's workloads and the trace replay. */
class WorkloadBenchmarksSmokeTest extends SuiteSmoke {
    @Override
    List<String> benchmarks() {
        return WORKLOADS;
    }
}
