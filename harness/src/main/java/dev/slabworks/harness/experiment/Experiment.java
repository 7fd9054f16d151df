package dev.slabworks.harness.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment as its file writes it down ({@link ExperimentFile}): what it asks, what it runs, how often.
 *
 * @param preset      a named knob set for every contender, under {@code knobs} ({@code api.knobs.Preset}), or null
 * @param knobs       knob values for every contender (key to value text)
 * @param sweep       the swept knobs, each to its values (canonical), in file order
 * @param repetitions measured repetitions per row and workload (a workload may say otherwise)
 * @param file        where it was read from, as given
 * @param text        the whole file, as read
 */
public record Experiment(String name, String question, List<Contender> contenders, String preset, Map<String, String> knobs,
                         Map<String, List<String>> sweep, List<Workload> workloads, int repetitions, int warmup,
                         int forks, String file, String text) {
    public Experiment {
        contenders = List.copyOf(contenders);
        knobs = Collections.unmodifiableMap(new LinkedHashMap<>(knobs));
        sweep = Collections.unmodifiableMap(new LinkedHashMap<>(sweep));
        workloads = List.copyOf(workloads);
    }

    /** A strategy or baseline under a label, with knob values of its own. */
    public record Contender(String label, String strategy, Map<String, String> knobs) {
        public Contender {
            knobs = Collections.unmodifiableMap(new LinkedHashMap<>(knobs));
        }
    }

    /** A workload's words ({@code random-mixed 200000 4096 1234567}) and its own repetition counts, or null for the file's. */
    public record Workload(List<String> words, Integer repetitions, Integer warmup) {
        public Workload {
            words = List.copyOf(words);
        }

        public int repetitions(int fallback) {
            return repetitions == null ? fallback : repetitions;
        }

        public int warmup(int fallback) {
            return warmup == null ? fallback : warmup;
        }
    }
}
