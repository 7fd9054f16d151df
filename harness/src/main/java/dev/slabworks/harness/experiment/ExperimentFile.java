package dev.slabworks.harness.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.KnobRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an experiment file: TOML (through Jackson's TOML module), so that an experiment is a short text to review
 * in a diff, with comments, and no value changes type by how it is written (TOML has no implicit typing, unlike
 * YAML's {@code no}, {@code 0x10} or {@code 1e3}). Its keys:
 * <pre>
 * name = "lru-sweep"                        # required; letters, digits, '-', '_', '.': names the results file
 * question = "..."                          # required; one sentence: what the experiment asks
 * strategies = ["superslab", "glibc"]       # contenders under their own names, and/or:
 * [[contender]]                             #   a contender: strategy (required), label, its own knobs
 * label = "seed policy"
 * strategy = "superslab"
 * knobs = { "ss.reuse.partial" = false }
 * workloads = ["hakmem-random-mixed 200000 4096 1234567",          # required: one line each, or a table
 *              { run = "random-mixed 2000000 4096 1234567", repetitions = 5, warmup = 1 }]
 * repetitions = 8                           # measured per row and workload (default 6: the fewest with a 95 % interval)
 * warmup = 2                                # default 2
 * forks = 0                                 # JVMs per row (default 0: this one)
 * preset = "seed"                          # a named knob set for every contender, under [knobs] (./slabworks knobs --preset)
 * [knobs]                                   # knob values for every contender
 * "fc.cap" = 256                            # (dotted keys may be quoted or bare: fc.cap = 256 is the same)
 * [sweep]                                   # each knob's values: a list, or a range as on the command line
 * "ss.lru.size" = [0, 1, 2, 4, 8, 16, 64]
 * "page.size" = "64K..1M:x2"
 * </pre>
 * Every error names the file and what is wrong; an unknown key is one, so a typo never passes silently.
 */
public final class ExperimentFile {
    static final int DEFAULT_REPETITIONS = 6;
    static final int DEFAULT_WARMUP = 2;
    private static final Set<String> KEYS = Set.of("name", "question", "strategies", "contender", "workloads",
            "repetitions", "warmup", "forks", "preset", "knobs", "sweep");
    private static final Set<String> CONTENDER_KEYS = Set.of("label", "strategy", "knobs");
    private static final Set<String> WORKLOAD_KEYS = Set.of("run", "repetitions", "warmup");

    private ExperimentFile() {
    }

    /** The experiment in {@code file}, or an {@link IllegalArgumentException} naming the file and the fault. */
    public static Experiment read(Path file, KnobRegistry registry) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("experiment file not found: " + file);
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        return parse(file.toString(), text, registry);
    }

    /** The experiment that {@code text} (read from {@code file}) writes down. */
    public static Experiment parse(String file, String text, KnobRegistry registry) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid TOML: " + e.getOriginalMessage());
        }
        Reader r = new Reader(file, registry);
        r.keys(root, KEYS, "");
        String name = r.text(root, "name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw r.error("name '" + name + "' must be letters, digits, '.', '-' and '_' (it names the results file)");
        }
        String question = r.text(root, "question");
        List<Experiment.Contender> contenders = new ArrayList<>();
        for (JsonNode s : r.array(root, "strategies")) {
            if (!s.isTextual()) {
                throw r.error("strategies holds names in quotes, not " + s);
            }
            contenders.add(new Experiment.Contender(s.asText(), s.asText(), Map.of()));
        }
        for (JsonNode c : r.array(root, "contender")) {
            r.keys(c, CONTENDER_KEYS, "contender.");
            String strategy = r.text(c, "strategy");
            String label = c.has("label") ? r.text(c, "label") : strategy;
            contenders.add(new Experiment.Contender(label, strategy, r.values(c.path("knobs"), "contender.knobs")));
        }
        if (contenders.isEmpty()) {
            throw r.error("names no contender: give strategies = [\"...\"] or a [[contender]] table");
        }
        List<String> labels = contenders.stream().map(Experiment.Contender::label).toList();
        for (String l : labels) {
            if (labels.indexOf(l) != labels.lastIndexOf(l)) {
                throw r.error("two contenders are labelled '" + l + "'; give each a label of its own");
            }
        }
        int repetitions = r.count(root, "repetitions", DEFAULT_REPETITIONS, 1);
        int warmup = r.count(root, "warmup", DEFAULT_WARMUP, 0);
        List<Experiment.Workload> workloads = new ArrayList<>();
        for (JsonNode w : r.array(root, "workloads")) {
            if (w.isTextual()) {
                workloads.add(new Experiment.Workload(words(w.asText()), null, null));
            } else if (w.isObject()) {
                r.keys(w, WORKLOAD_KEYS, "workloads.");
                workloads.add(new Experiment.Workload(words(r.text(w, "run")),
                        w.has("repetitions") ? r.count(w, "repetitions", 0, 1) : null,
                        w.has("warmup") ? r.count(w, "warmup", 0, 0) : null));
            } else {
                throw r.error("workloads holds lines in quotes or { run = \"...\" } tables, not " + w);
            }
        }
        if (workloads.isEmpty()) {
            throw r.error("names no workload: give workloads = [\"random-mixed 200000 4096 1234567\"]");
        }
        Map<String, List<String>> sweep = new LinkedHashMap<>();
        r.flatten(root.path("sweep"), "", "sweep").forEach((key, node) -> {
            try {
                if (node.isArray()) {
                    List<String> items = new ArrayList<>();
                    node.forEach(v -> items.add(v.asText()));
                    sweep.put(key, SweepValues.parse(registry, key, String.join(",", items)));
                } else {
                    sweep.put(key, SweepValues.parse(registry, key, node.asText()));
                }
            } catch (IllegalArgumentException e) {
                throw r.error("[sweep] " + e.getMessage());
            }
        });
        String preset = null;
        if (root.has("preset")) {
            String named = r.text(root, "preset");
            try {
                preset = dev.slabworks.api.knobs.Preset.byName(named).presetName();
            } catch (IllegalArgumentException e) {
                throw r.error(e.getMessage());
            }
        }
        return new Experiment(name, question, contenders, preset, r.values(root.path("knobs"), "knobs"), sweep, workloads,
                repetitions, warmup, r.count(root, "forks", 0, 0), file, text);
    }

    private static List<String> words(String line) {
        return Arrays.stream(line.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    /** Typed look-ups whose errors name the file. */
    private record Reader(String file, KnobRegistry registry) {
        IllegalArgumentException error(String message) {
            return new IllegalArgumentException(file + ": " + message);
        }

        void keys(JsonNode node, Set<String> accepted, String prefix) {
            node.fieldNames().forEachRemaining(k -> {
                if (!accepted.contains(k)) {
                    throw error("unknown key '" + prefix + k + "'; accepted: " + String.join(", ",
                            accepted.stream().sorted().toList()));
                }
            });
        }

        String text(JsonNode node, String key) {
            JsonNode v = node.path(key);
            if (v.isMissingNode()) {
                throw error("missing '" + key + "'");
            }
            if (!v.isTextual() || v.asText().isBlank()) {
                throw error("'" + key + "' must be text in quotes, not " + v);
            }
            return v.asText().strip();
        }

        int count(JsonNode node, String key, int fallback, int min) {
            JsonNode v = node.path(key);
            if (v.isMissingNode()) {
                return fallback;
            }
            if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > 1_000_000) {
                throw error("'" + key + "' must be a whole number from " + min + ", not " + v);
            }
            return v.asInt();
        }

        /** An array's elements; a missing key is none, anything but an array an error (a lone table counts as one). */
        List<JsonNode> array(JsonNode node, String key) {
            JsonNode v = node.path(key);
            List<JsonNode> out = new ArrayList<>();
            if (v.isMissingNode()) {
                return out;
            }
            if (v.isArray()) {
                v.forEach(out::add);
                return out;
            }
            if (v.isObject() && key.equals("contender")) {
                out.add(v);
                return out;
            }
            throw error("'" + key + "' must be a list [...], not " + v);
        }

        /** A table of knob values, nested tables of bare dotted keys flattened back ({@code fc.cap}), values as text. */
        Map<String, String> values(JsonNode table, String where) {
            Map<String, String> out = new LinkedHashMap<>();
            flatten(table, "", where).forEach((k, v) -> {
                if (v.isContainerNode()) {
                    throw error("[" + where + "] " + k + " must be one value, not " + v);
                }
                try {
                    Knob knob = registry.byName(k);
                    out.put(knob.key(), v.asText());
                    SweepValues.canonical(registry, knob, v.asText());
                } catch (IllegalArgumentException e) {
                    throw error("[" + where + "] " + e.getMessage());
                }
            });
            return out;
        }

        Map<String, JsonNode> flatten(JsonNode table, String prefix, String where) {
            Map<String, JsonNode> out = new LinkedHashMap<>();
            if (table.isMissingNode()) {
                return out;
            }
            if (!table.isObject()) {
                throw error("'" + where + "' must be a table of knob = value, not " + table);
            }
            table.properties().forEach(e -> {
                String key = prefix + e.getKey();
                if (e.getValue().isObject()) {
                    out.putAll(flatten(e.getValue(), key + ".", where));
                } else {
                    out.put(key, e.getValue());
                }
            });
            return out;
        }
    }
}
