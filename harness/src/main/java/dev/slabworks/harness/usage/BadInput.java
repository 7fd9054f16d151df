package dev.slabworks.harness.usage;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.util.function.Supplier;

/**
 * The one exit-code rule's first half: a bad argument, option, knob, file or value is a usage error
 * (picocli's {@link CommandLine.ParameterException}), which the command line prints as one line and
 * exits 2 on; a failed run exits 1. Checks that live outside the command line (a workload's parser,
 * the knob table, a strategy's constructor) throw {@link IllegalArgumentException}; this turns them
 * into usage errors at the command's boundary.
 */
public final class BadInput {
    private BadInput() {
    }

    /** A usage error of {@code spec}'s command saying {@code message}. */
    public static CommandLine.ParameterException error(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** {@code check}'s value; an {@link IllegalArgumentException} it throws becomes a usage error. */
    public static <T> T check(CommandSpec spec, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** A usage error unless {@code value >= min}: "{@code option} must be >= min, not value". */
    public static void atLeast(CommandSpec spec, String option, long value, long min) {
        if (value < min) {
            throw error(spec, option + " must be >= " + min + ", not " + value);
        }
    }
}
