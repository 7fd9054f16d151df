package dev.slabworks.harness.cli;

import dev.slabworks.harness.usage.BadInput;
import dev.slabworks.harness.wiring.Plugins;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --plugin JAR}: strategies from a jar built elsewhere, for the whole command. The option is inherited by every
 * verb, so it may stand before the verb or after it; its values are read from wherever it matched. The plugins are
 * loaded and checked before the verb runs, so a broken one is a usage error (exit 2) naming the jar.
 */
final class PluginOption {
    static final String NAME = "--plugin";

    private PluginOption() {
    }

    /** Makes the {@code --plugin} jars of {@code parsed} (and those of the environment) this command's plugins. */
    static AutoCloseable use(ParseResult parsed) {
        List<Path> jars = new ArrayList<>();
        CommandSpec last = parsed.commandSpec();
        boolean help = false;
        for (ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            if (p.hasMatchedOption(NAME)) {
                p.matchedOption(NAME).stringValues().forEach(v -> jars.add(Path.of(v)));
            }
            help |= p.isUsageHelpRequested() || p.isVersionHelpRequested();
            last = p.commandSpec();
        }
        if (help) {
            return () -> { };
        }
        CommandSpec spec = last;
        return BadInput.check(spec, () -> Plugins.using(jars));
    }
}
