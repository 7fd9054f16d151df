package dev.slabworks.api.knobs;

/** Where a knob's effective value came from, highest precedence first. */
public enum KnobSource {
    COMMAND_LINE, SYSTEM_PROPERTY, ENVIRONMENT, DEFAULT
}
