package dev.slabworks.harness.wiring;

import com.google.inject.AbstractModule;
import dev.slabworks.api.knobs.Knobs;

import java.util.Map;

/**
 * Binds the one knob snapshot of a command: {@code --set} pairs over system properties over the
 * environment over defaults, resolved (and validated) once, before any allocator is made.
 */
public final class KnobsModule extends AbstractModule {
    private final Knobs knobs;

    public KnobsModule(Map<String, String> commandLine) {
        this.knobs = Knobs.resolve(commandLine);
    }

    @Override
    protected void configure() {
        bind(Knobs.class).toInstance(knobs);
    }
}
