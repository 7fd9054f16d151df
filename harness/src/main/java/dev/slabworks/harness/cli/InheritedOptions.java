package dev.slabworks.harness.cli;

import dev.slabworks.harness.usage.BadInput;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Options given before the verb ({@code ./slabworks --set ss.lru.size=0 --reps 1 bench ...}) apply to
 * the verb when it has an option of that name and type: a repeatable one ({@code --set},
 * {@code --strategy}) holds the values before the verb and then those after it (for knobs, the later
 * of two settings wins); for a single value, one after the verb wins over one before it. An option
 * the verb does not take is a usage error naming the options it does take.
 */
final class InheritedOptions {
    private InheritedOptions() {
    }

    /** Moves the options matched on the root command of {@code root} to its verb. */
    static void apply(ParseResult root) {
        if (!root.hasSubcommand()) {
            return;
        }
        ParseResult verb = root.subcommand();
        CommandSpec target = verb.commandSpec();
        if (target.helpCommand()) {
            return;
        }
        LauncherVerbs.Verb launched = LauncherVerbs.named(target.name());
        if (launched != null && !root.matchedOptions().stream().allMatch(o -> o.usageHelp() || o.versionHelp()
                || o.scopeType() == CommandLine.ScopeType.INHERIT)) {
            throw BadInput.error(target, "the launcher runs '" + target.name() + "' with the options after it, not "
                    + "before: " + launched.synopsis());
        }
        for (OptionSpec given : root.matchedOptions()) {
            if (given.usageHelp() || given.versionHelp() || given.scopeType() == CommandLine.ScopeType.INHERIT) {
                continue; // an inherited option (--plugin) is the whole program's, read where it was given
            }
            OptionSpec same = target.findOption(given.longestName());
            if (same == null || !same.type().equals(given.type())) {
                throw BadInput.error(target, given.longestName() + " (before '" + target.name() + "') does not apply to "
                        + target.name() + "; " + optionsOf(target));
            }
            boolean alsoAfter = verb.hasMatchedOption(same);
            if (same.isMultiValue() && given.getValue() instanceof Collection<?> before) {
                List<Object> values = new ArrayList<>(before);
                if (alsoAfter) {
                    values.addAll((Collection<?>) same.getValue());
                }
                same.setValue(values);
            } else if (!alsoAfter) {
                same.setValue(given.getValue());
            }
        }
    }

    private static String optionsOf(CommandSpec command) {
        String names = command.options().stream().filter(o -> !o.hidden() && !o.usageHelp() && !o.versionHelp()
                        && o.scopeType() != CommandLine.ScopeType.INHERIT)
                .map(OptionSpec::longestName).collect(Collectors.joining(", "));
        return names.isEmpty() ? "it takes no options" : "its options: " + names;
    }
}
