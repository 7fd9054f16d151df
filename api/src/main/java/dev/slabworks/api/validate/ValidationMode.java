package dev.slabworks.api.validate;

/**
 * How {@code free} decides that an address is the allocator's own (docs/DESIGN.md §6). Every mode
 * ends in the same {@link RegionMap} look-up, so every mode is equally safe; they differ in the
 * price they pay first, which is what the workbench measures.
 */
public enum ValidationMode {
    /** Alignment mask plus a radix-map look-up of live mappings; no syscall. */
    REGISTRY,
    /** The seed's SEGV fix: {@code mincore()} on the page before anything else, on every check. */
    MINCORE,
    /** The seed's Phase B: {@code mincore()} only for ranges this thread has not confirmed before. */
    MINCORE_CACHED;

    /** The mode the {@code validation} knob's value names; {@code AUTO} means {@code strategyDefault}. */
    public static ValidationMode from(String knobValue, ValidationMode strategyDefault) {
        return knobValue.equals("AUTO") ? strategyDefault : valueOf(knobValue);
    }
}
