package dev.slabworks.harness.reliability;

import com.code_intelligence.jazzer.driver.FuzzedDataProviderImpl;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.inject.Injector;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.testkit.contract.AllocatorFuzzDriver;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.validate.ValidationMode;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

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
 *   <li>That loop, pinned: {@code ./slabworks fuzz broken-short-at-777 --mode REGISTRY} found that
 *       allocator's deliberate bug on its own (no seed reaches it) and Jazzer saved the input as
 *       {@value #FINDING}; the last two tests replay the inputs directory against it.</li>
 * </ul>
 * The replay tests run after the fuzz test ({@link Order}): Jazzer's {@code FuzzedDataProviderImpl}
 * needs the Jazzer agent, which the fuzz test installs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StrategyFuzzTest {
    static final String FINDING = "crash-934f21b6b56841af94979c508b9cd50b02e49cea";
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

    @Order(1)
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

    private static List<Path> inputs() throws IOException, URISyntaxException {
        Path dir = Path.of(StrategyFuzzTest.class.getResource("StrategyFuzzTestInputs/operations").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    /** The driver's failure message on {@code input}, or null when it passed. */
    private static String replay(AllocatorFactory f, Path input) throws IOException {
        try (FuzzedDataProviderImpl data = FuzzedDataProviderImpl.withJavaData(Files.readAllBytes(input))) {
            AllocatorFuzzDriver.run(f, Targets.withMode(Knobs.defaults(), ValidationMode.REGISTRY), data);
            return null;
        } catch (AssertionError e) {
            return e.getMessage();
        }
    }

    @Order(2)
    @Test
    void the_saved_finding_replays_and_fails_the_allocator_it_was_found_on_while_the_seeds_pass() throws Exception {
        AllocatorFactory broken = TestStrategies.broken(BrokenAllocators.SHORT_AT_777);
        List<String> failing = new ArrayList<>();
        for (Path input : inputs()) {
            String failure = replay(broken, input);
            if (failure != null) {
                assertThat(failure).as(input.getFileName().toString()).contains("usable size of allocate(777)");
                failing.add(input.getFileName().toString());
            }
        }
        assertThat(failing).contains(FINDING).noneMatch(name -> name.startsWith("seed-"));
    }

    @Order(3)
    @Test
    void the_saved_finding_passes_on_a_correct_allocator() throws Exception {
        AllocatorFactory reference = TestStrategies.correct().stream().filter(f -> f.name().equals("direct-only"))
                .findFirst().orElseThrow();
        Path finding = inputs().stream().filter(p -> p.getFileName().toString().equals(FINDING)).findFirst().orElseThrow();
        assertThat(replay(reference, finding)).isNull();
    }
}
