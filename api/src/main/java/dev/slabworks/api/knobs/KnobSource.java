package dev.slabworks.api.knobs;

/** Where a knob's effective value came from, highest precedence first ({@code PRESET}: a {@link Preset} on the command line). */
public enum KnobSource {
    COMMAND_LINE, PRESET, SYSTEM_PROPERTY, ENVIRONMENT, DEFAULT
}
