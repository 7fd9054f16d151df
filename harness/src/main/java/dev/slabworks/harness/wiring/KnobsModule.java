package dev.slabworks.harness.wiring;

import com.google.inject.AbstractModule;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.knobs.Preset;

import java.util.Map;

/**
 * Binds the one knob snapshot of a command: {@code --set} pairs over a {@code --preset} over system properties
 * over the environment over defaults, resolved (and validated) once, before any allocator is made.
 */
public final class KnobsModule extends AbstractModule {
    private final Knobs knobs;

    public KnobsModule(Map<String, String> commandLine) {
        this(commandLine, null);
    }

    /** {@code preset} may be null (none). */
    public KnobsModule(Map<String, String> commandLine, Preset preset) {
        this.knobs = Knobs.resolve(commandLine, preset);
    }

    @Override
    protected void configure() {
        bind(Knobs.class).toInstance(knobs);
    }
}
