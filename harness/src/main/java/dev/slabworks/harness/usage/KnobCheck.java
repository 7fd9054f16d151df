package dev.slabworks.harness.usage;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knobs;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Knob values checked before any run. The knob table checks each value on its own (type, range,
 * power of two); what a strategy checks across knobs (a slab no larger than its SuperSlab, a page no
 * larger than its segment) it checks when an allocator is made. So a command makes one allocator of
 * each strategy it is about to run, and closes it at once: a refusal is then a usage error naming the
 * strategy, not a failed run after the others have been measured.
 */
public final class KnobCheck {
    private KnobCheck() {
    }

    /** A usage error of {@code spec} unless {@code factory} makes an allocator with {@code knobs}. */
    public static void accepts(CommandSpec spec, AllocatorFactory factory, Knobs knobs) {
        accepts(spec, factory, knobs, factory.name());
    }

    /** {@link #accepts(CommandSpec, AllocatorFactory, Knobs)}, the error naming the row {@code label}. */
    public static void accepts(CommandSpec spec, AllocatorFactory factory, Knobs knobs, String label) {
        try (Allocator ignored = factory.create(knobs)) {
            // made and closed: the knobs are accepted
        } catch (IllegalArgumentException e) {
            throw BadInput.error(spec, label + " does not accept these knobs: " + e.getMessage());
        }
    }
}
