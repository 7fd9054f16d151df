package dev.slabworks.harness.cli;

import dev.slabworks.harness.usage.BadInput;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The workloads of {@code bench} and {@code profile}: each {@code --workload "NAME ARGS..."} (repeatable), then
 * the one given as the last words of the command line, if any; at least one in all. Every workload runs on every
 * row, and all of them go to one results file.
 */
final class WorkloadOptions {
    @Option(names = "--workload", paramLabel = "\"WORKLOAD ARGS\"",
            description = "A workload and its arguments as one word, e.g. --workload \"random-mixed 20000000 4096 1234567\" "
                    + "(repeatable: every workload runs on every contender, one results file for all).")
    List<String> options = new ArrayList<>();

    @Parameters(arity = "0..*", paramLabel = "WORKLOAD ARGS",
            description = "A workload and its arguments (one more, or the only one without --workload).")
    List<String> words = new ArrayList<>();

    /** Each workload's words, in the order given; none at all is a usage error. */
    List<List<String>> lines(CommandSpec spec) {
        List<List<String>> out = new ArrayList<>();
        for (String option : options) {
            List<String> w = Arrays.stream(option.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
            if (w.isEmpty()) {
                throw BadInput.error(spec, "--workload is empty; it takes a workload and its arguments, e.g. "
                        + "--workload \"random-mixed 200000 4096 1234567\"");
            }
            out.add(w);
        }
        if (!words.isEmpty()) {
            out.add(words);
        }
        if (out.isEmpty()) {
            throw BadInput.error(spec, "missing WORKLOAD: give it after the options or with --workload \"NAME ARGS...\"");
        }
        return out;
    }
}
