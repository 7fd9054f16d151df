package dev.slabworks.harness.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a results file says about the run as a whole: where and with what it ran, and the experiment it ran,
 * if any. {@code compare} warns when two files differ in JDK or machine; the HTML report's header shows it all.
 *
 * @param machine    {@code os}, {@code arch}, {@code cpus}, {@code host} as text
 * @param experiment the experiment file it ran ({@code ./slabworks run}), or null
 */
public record ResultsHeader(String jdk, String commit, Map<String, String> machine, String created, String command,
                            Experiment experiment) {
    public ResultsHeader {
        machine = Collections.unmodifiableMap(new LinkedHashMap<>(machine));
    }

    /** An experiment file as run: its name and question, where it was read from, and its whole text. */
    public record Experiment(String name, String question, String file, String text) {
    }
}
