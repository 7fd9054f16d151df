package dev.slabworks.harness.bench;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.wiring.Contender;

import java.util.List;

/**
 * A contender as one row of a run measures it: the strategy or baseline, the knobs its allocators are made with,
 * the {@code --set KEY=VALUE} words that give those knobs to a child JVM ({@code --forks}), and its row's
 * {@link Variant}. A sweep makes one setup per point; a plain run one per contender, all with the command's knobs.
 */
public record ContenderSetup(Contender contender, Knobs knobs, List<String> sets, Variant variant) {
    public ContenderSetup {
        sets = List.copyOf(sets);
    }

    /** Each of {@code contenders} with the command's own {@code knobs} and {@code sets}, labelled by its name. */
    public static List<ContenderSetup> plain(List<Contender> contenders, Knobs knobs, List<String> sets) {
        return contenders.stream().map(c -> new ContenderSetup(c, knobs, sets, Variant.of(c.name()))).toList();
    }

    public String label() {
        return variant.label();
    }
}
