package dev.slabworks.harness.reliability;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.validate.ValidationMode;
import dev.slabworks.harness.bench.Progress;
import dev.slabworks.harness.jvm.ChildJvm;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * The loop a campaign command ({@code hostile}, {@code race}) runs: one campaign per strategy and validation
 * mode, in this JVM or in a child JVM of its own (the same command with {@code --in-process}), so that a JVM
 * crash is counted rather than fatal; a progress line per campaign; the legend and a summary at the end.
 */
final class CampaignLoop {
    /** One campaign in this JVM: prints its rows and says whether it passed. */
    interface InProcess {
        boolean run(AllocatorFactory factory, ValidationMode mode);
    }

    /** The command line of one campaign in a child JVM. */
    interface ChildArgs {
        List<String> of(String strategy, ValidationMode mode);
    }

    private CampaignLoop() {
    }

    /**
     * Runs every campaign of {@code chosen}; returns the exit code (0 only when every campaign passed and no JVM
     * crashed). {@code describe} names a campaign on the progress line; {@code header} is null for a child's run.
     */
    static int run(PrintWriter out, Progress progress, String group, String command, Targets.Chosen chosen,
                   boolean inProcess, InProcess campaign, ChildArgs childArgs, String describe, Runnable header,
                   List<String> legend)
            throws IOException, InterruptedException {
        List<AllocatorFactory> factories = chosen.factories();
        List<ValidationMode> modes = chosen.modes();
        progress.plan(group, factories.size() * modes.size(), 1);
        if (header != null) {
            header.run();
        }
        int campaigns = 0;
        int failed = 0;
        int crashes = 0;
        for (AllocatorFactory f : factories) {
            for (ValidationMode m : modes) {
                campaigns++;
                progress.step(group, command + " " + f.name() + " " + m + ": " + describe);
                if (inProcess) {
                    boolean passed = campaign.run(f, m);
                    progress.finish(); // a terminal's in-place progress line gives way to the rows
                    failed += passed ? 0 : 1;
                } else {
                    int code = ChildJvm.run(childArgs.of(f.name(), m), line -> {
                        progress.finish();
                        out.println(line);
                        out.flush();
                    });
                    if (ChildJvm.crashed(code)) {
                        crashes++;
                        progress.finish();
                        out.printf("%-16s %-14s JVM CRASHED (exit code %d)%n", f.name(), m, code);
                    } else if (code != ChildJvm.PASSED) {
                        failed++;
                    }
                }
                out.flush();
            }
        }
        progress.finish();
        if (header != null) {
            legend.forEach(out::println);
            out.printf("%ncampaigns %d, failed %d, JVM crashes %d: %s%n", campaigns, failed, crashes,
                    failed + crashes == 0 ? "PASS" : "FAIL");
        }
        out.flush();
        return failed + crashes == 0 ? ChildJvm.PASSED : ChildJvm.FAILED;
    }
}
