package dev.slabworks.harness.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What tells one row of a results file from the others of the same strategy and workload: its label (the
 * strategy's name unless an experiment or a sweep gives another), the knob values of its sweep point, and where
 * each knob's effective value came from.
 *
 * @param label   the row's name in tables, charts and {@code compare}: {@code superslab}, {@code superslab
 *                ss.lru.size=4}, {@code per-class ss.lru.size=4}
 * @param point   the swept knobs and their values at this point, in sweep order, as the label shows them (the
 *                knob table's text; a size in K, M or G where it divides evenly: 64K); empty when nothing was swept
 * @param sources every knob's source by key: {@code default}, {@code environment NAME}, {@code system property
 *                NAME}, {@code --set}, {@code experiment}, {@code contender}, {@code sweep}; empty when unknown
 *                (a results file written before it existed)
 */
public record Variant(String label, Map<String, String> point, Map<String, String> sources) {
    public Variant {
        point = Collections.unmodifiableMap(new LinkedHashMap<>(point));
        sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    /** A row of {@code strategy} with no sweep and no sources recorded. */
    public static Variant of(String strategy) {
        return new Variant(strategy, Map.of(), Map.of());
    }
}
