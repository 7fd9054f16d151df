package dev.slabworks.harness.experiment;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.KnobRegistry;
import dev.slabworks.api.knobs.KnobType;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.bench.ContenderSetup;
import dev.slabworks.harness.bench.Variant;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.wiring.Contender;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows a run measures: every contender at every point of the sweeps (the product of every swept knob's
 * values, the first knob varying slowest), each with its knobs resolved and its label. Knob values come in
 * layers, later ones winning: the named layers given (an experiment's {@code [knobs]}, the command line's
 * {@code --set}), then the contender's own overrides, then the sweep point; under them all, system properties,
 * the environment and the defaults as always. Each row records where every knob's value came from.
 */
public final class Matrix {
    /** A contender before sweeping: what to run, the label of its rows, and knob values of its own. */
    public record Entry(Contender contender, String label, Map<String, String> knobs) {
        public Entry {
            knobs = Map.copyOf(knobs);
        }

        /** {@code contender} under its own name, with no knobs of its own. */
        public static Entry of(Contender contender) {
            return new Entry(contender, contender.name(), Map.of());
        }
    }

    /** Knob values given together, and the word that says where from ({@code --set}, {@code experiment}). */
    public record Layer(String source, Map<String, String> knobs) {
        public Layer {
            knobs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(knobs));
        }
    }

    private Matrix() {
    }

    /** How many rows {@code entries} and {@code sweeps} make. */
    public static long size(int entries, Map<String, List<String>> sweeps) {
        long n = entries;
        for (List<String> values : sweeps.values()) {
            n *= values.size();
        }
        return n;
    }

    /**
     * Every entry at every point of {@code sweeps} (knob key to its values, in order). A knob both swept and set in
     * a layer or an entry is swept. More rows than {@code limit} is an error saying how many and what to do, and so
     * is a knob read once per JVM ({@code stats}) set to another value than this JVM's unless each row runs in JVMs
     * of its own ({@code ownJvms}: {@code --forks}).
     */
    public static List<ContenderSetup> build(KnobRegistry registry, List<Entry> entries, List<Layer> layers,
                                             Map<String, List<String>> sweeps, long limit, boolean ownJvms) {
        Map<String, List<String>> swept = canonicalSweeps(registry, sweeps);
        long rows = size(entries.size(), swept);
        if (rows > limit) {
            throw new IllegalArgumentException(rows + " rows (" + describe(entries.size(), swept) + ") is more than "
                    + "the knob " + HarnessKnobs.SWEEP_LIMIT.key() + " allows (" + limit + "): sweep fewer values, or "
                    + "raise it with --set " + HarnessKnobs.SWEEP_LIMIT.key() + "=" + rows);
        }
        List<Map<String, String>> points = points(swept);
        List<ContenderSetup> out = new ArrayList<>();
        for (Entry e : entries) {
            for (Map<String, String> point : points) {
                ContenderSetup setup = setup(registry, e, layers, point);
                if (!ownJvms) {
                    checkPerJvm(registry, setup);
                }
                out.add(setup);
            }
        }
        return out;
    }

    /** "7 values of ss.lru.size x 2 contenders": the product in words. */
    public static String describe(int entries, Map<String, List<String>> sweeps) {
        StringBuilder s = new StringBuilder();
        sweeps.forEach((key, values) -> s.append(values.size()).append(values.size() == 1 ? " value of " : " values of ")
                .append(key).append(" x "));
        return s.append(entries).append(entries == 1 ? " contender" : " contenders").toString();
    }

    private static ContenderSetup setup(KnobRegistry registry, Entry e, List<Layer> layers, Map<String, String> point) {
        Map<String, String> merged = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        for (Layer l : layers) {
            Map<String, String> knobs = canonicalKeys(registry, l.knobs());
            merged.putAll(knobs);
            knobs.keySet().forEach(k -> from.put(k, l.source()));
        }
        Map<String, String> own = canonicalKeys(registry, e.knobs());
        merged.putAll(own);
        own.keySet().forEach(k -> from.put(k, "contender"));
        merged.putAll(point);
        point.keySet().forEach(k -> from.put(k, "sweep"));
        Knobs knobs = Knobs.resolve(registry, merged);
        Map<String, String> sources = new LinkedHashMap<>();
        for (Knob knob : registry.all()) {
            sources.put(knob.key(), from.containsKey(knob.key()) ? from.get(knob.key()) : source(knobs, knob));
        }
        List<String> sets = new ArrayList<>();
        merged.forEach((k, v) -> sets.add(k + "=" + v));
        Map<String, String> shown = new LinkedHashMap<>();
        point.forEach((k, v) -> shown.put(k, shown(registry.byName(k), v)));
        StringBuilder label = new StringBuilder(e.label());
        shown.forEach((k, v) -> label.append(' ').append(k).append('=').append(v));
        return new ContenderSetup(e.contender(), knobs, sets, new Variant(label.toString(), shown, sources));
    }

    /** A swept value as a row's label shows it: a size in K, M or G where it divides evenly (64K, not 65536). */
    static String shown(Knob knob, String canonical) {
        if (knob.type() != KnobType.SIZE) {
            return canonical;
        }
        long bytes = Long.parseLong(canonical);
        for (String suffix : new String[] {"G", "M", "K"}) {
            long unit = 1L << (suffix.equals("G") ? 30 : suffix.equals("M") ? 20 : 10);
            if (bytes >= unit && bytes % unit == 0) {
                return bytes / unit + suffix;
            }
        }
        return canonical;
    }

    private static void checkPerJvm(KnobRegistry registry, ContenderSetup setup) {
        for (Knob knob : registry.all()) {
            if (knob.perJvm() && !setup.knobs().text(knob).equals(Knobs.perJvm(knob))) {
                throw new IllegalArgumentException("knob " + knob.key() + " is read once per JVM, so " + setup.label()
                        + " cannot have " + knob.key() + "=" + setup.knobs().text(knob) + " in this one (it has "
                        + Knobs.perJvm(knob) + "): run each contender in JVMs of its own (--forks 1 or more)");
            }
        }
    }

    private static String source(Knobs knobs, Knob knob) {
        return switch (knobs.source(knob)) {
            case COMMAND_LINE -> "--set";
            case SYSTEM_PROPERTY -> "system property " + knob.propertyName();
            case ENVIRONMENT -> "environment " + knob.environmentName();
            case DEFAULT -> "default";
        };
    }

    /** The product of the sweeps as points (knob to value), the first knob varying slowest; one empty point for none. */
    static List<Map<String, String>> points(Map<String, List<String>> sweeps) {
        List<Map<String, String>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (var sweep : sweeps.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> p : points) {
                for (String v : sweep.getValue()) {
                    Map<String, String> q = new LinkedHashMap<>(p);
                    q.put(sweep.getKey(), v);
                    next.add(q);
                }
            }
            points = next;
        }
        return points;
    }

    private static Map<String, List<String>> canonicalSweeps(KnobRegistry registry, Map<String, List<String>> sweeps) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        sweeps.forEach((k, v) -> {
            String key = registry.byName(k).key();
            if (out.containsKey(key)) {
                throw new IllegalArgumentException("knob " + key + " is swept twice");
            }
            out.put(key, v);
        });
        return out;
    }

    /** The same values under each knob's key (a user may name it by its environment name). */
    static Map<String, String> canonicalKeys(KnobRegistry registry, Map<String, String> knobs) {
        Map<String, String> out = new LinkedHashMap<>();
        knobs.forEach((k, v) -> out.put(registry.byName(k).key(), v));
        return out;
    }
}
