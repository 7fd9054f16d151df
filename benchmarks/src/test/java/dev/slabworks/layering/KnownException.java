package dev.slabworks.layering;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;

/**
 * The dependencies that break a written layering rule today, one by one (docs/DESIGN.md §3.5). Each names
 * its origin and target class (nested classes included); {@link LayeringTest} lets exactly these through
 * and fails when one of them no longer occurs, so the list shrinks as the code is fixed.
 */
enum KnownException {
    /** E1, bench -> report: a forked bench reads its child JVM's results file. */
    FORKED_BENCH_READS_RESULTS("dev.slabworks.harness.bench.ForkedBench", "dev.slabworks.harness.report.ResultsJson"),
    /** E2, reliability -> cli: the reliability commands parse {@code --set} pairs with the knobs verb's parser. */
    TARGETS_PARSE_KNOB_SETS("dev.slabworks.harness.reliability.Targets", "dev.slabworks.harness.cli.KnobsCommand"),
    /** E3, main -> test code: {@code ./slabworks hostile} runs the campaign engine of api's test-jar. */
    HOSTILE_RUNS_CAMPAIGN("dev.slabworks.harness.reliability.HostileCommand",
            "dev.slabworks.api.contract.HostileFreeCampaign"),
    /** E3, main -> test code: {@code ./slabworks stress} runs the stress engine of api's test-jar. */
    STRESS_RUNS_RUNNER("dev.slabworks.harness.reliability.StressCommand", "dev.slabworks.api.contract.StressRunner"),
    /** E3, main -> test code: {@code ./slabworks race} runs the race campaign of api's test-jar. */
    RACE_RUNS_CAMPAIGN("dev.slabworks.harness.reliability.RaceCommand", "dev.slabworks.api.contract.RaceCampaign");

    private final String origin;
    private final String target;

    KnownException(String origin, String target) {
        this.origin = origin;
        this.target = target;
    }

    boolean matches(Dependency d) {
        return isOrNests(d.getOriginClass(), origin) && isOrNests(d.getTargetClass(), target);
    }

    /** The origin class and its nested classes. */
    DescribedPredicate<JavaClass> origin() {
        return DescribedPredicate.describe(origin, c -> isOrNests(c, origin));
    }

    /** The target class and its nested classes. */
    DescribedPredicate<JavaClass> target() {
        return DescribedPredicate.describe(target, c -> isOrNests(c, target));
    }

    /** Whether {@code d} is one of the listed exceptions. */
    static boolean allows(Dependency d) {
        for (KnownException e : values()) {
            if (e.matches(d)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOrNests(JavaClass c, String topLevel) {
        String name = c.getName();
        return name.equals(topLevel) || name.startsWith(topLevel + "$");
    }

    @Override
    public String toString() {
        return name() + " (" + origin + " -> " + target + ")";
    }
}
