package dev.slabworks.harness.testing;

import dev.slabworks.harness.cli.SlabworksCommand;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs the command line in-process and captures what it printed. */
public record Cli(int exit, String out, String err) {
    public static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = SlabworksCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    /** The error output's lines, progress lines ("[n/m] ...") left out. */
    public List<String> errorLines() {
        return err.lines().filter(l -> !l.startsWith("[")).toList();
    }
}
