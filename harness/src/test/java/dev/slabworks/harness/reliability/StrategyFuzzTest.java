package dev.slabworks.harness.reliability;

import com.code_intelligence.jazzer.driver.FuzzedDataProviderImpl;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.inject.Injector;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.contract.AllocatorFuzzDriver;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.validate.ValidationMode;

import java.util.ArrayList;
import java.util.List;

/**
 * The shared fuzz driver ({@link AllocatorFuzzDriver}) over every strategy Guice finds, in every
 * validation mode.
 *
 * <ul>
 *   <li>Regression (every test run): each committed input under
 *       {@code StrategyFuzzTestInputs/operations/} replays against every correct strategy (the real
 *       ones plus the test-only reference allocator) in every mode.</li>
 *   <li>Campaign ({@code ./slabworks fuzz STRATEGY [--seconds N] [--mode MODE]}, which sets
 *       {@code JAZZER_FUZZ=1} and the properties below): Jazzer fuzzes the one strategy and mode
 *       named by {@value #STRATEGY} and {@value #MODE}; a crash is written by Jazzer into the inputs
 *       directory above, so from then on it replays here for every strategy. A broken allocator of
 *       {@link BrokenAllocators} may be named, to see that happen.</li>
 * </ul>
 */
class StrategyFuzzTest {
    static final String STRATEGY = "slabworks.fuzz.strategy";
    static final String MODE = "slabworks.fuzz.mode";

    private record Target(AllocatorFactory factory, Knobs knobs) {
        @Override
        public String toString() {
            return factory.name() + " (" + knobs.text(dev.slabworks.api.knobs.Knob.VALIDATION) + ")";
        }
    }

    private static final List<Target> TARGETS = targets();

    private static List<Target> targets() {
        String strategy = System.getProperty(STRATEGY, "");
        String mode = System.getProperty(MODE, "all");
        Injector injector = strategy.startsWith("broken-") ? TestStrategies.withBroken() : TestStrategies.injector();
        List<AllocatorFactory> factories = Targets.strategies(injector, strategy.isEmpty() ? List.of("all") : List.of(strategy));
        List<Target> out = new ArrayList<>();
        for (AllocatorFactory f : factories) {
            for (ValidationMode m : Targets.modes(mode)) {
                out.add(new Target(f, Targets.withMode(Knobs.defaults(), m)));
            }
        }
        return List.copyOf(out);
    }

    @FuzzTest(maxDuration = "60s")
    void operations(byte[] input) {
        for (Target t : TARGETS) {
            try (FuzzedDataProviderImpl data = FuzzedDataProviderImpl.withJavaData(input)) {
                AllocatorFuzzDriver.run(t.factory(), t.knobs(), data);
            } catch (AssertionError e) {
                throw new AssertionError(t + ": " + e.getMessage(), e);
            }
        }
    }
}
