package dev.slabworks.harness.cli;

import dev.slabworks.harness.testing.Cli;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** --help lists every verb, each verb has a help of its own, and the README's command list is the same list. */
class HelpTest {
    /** The verbs the root command's --help lists, in its order. */
    static List<String> verbs() {
        return List.copyOf(SlabworksCommand.commandLine().getSubcommands().keySet().stream()
                .filter(v -> !v.equals("help")).toList());
    }

    @Test
    void theRootHelpListsEveryVerbTheLauncherOnesIncluded() {
        Cli root = Cli.run("--help");
        assertThat(root.exit()).isZero();
        assertThat(verbs()).containsExactly("bench", "profile", "run", "compare", "knobs", "strategies", "hostile", "stress", "race",
                "fuzz", "test", "jmh", "native-anchor");
        for (String verb : verbs()) {
            assertThat(root.out()).as(verb).containsPattern("(?m)^  " + Pattern.quote(verb) + " +\\S");
        }
        assertThat(root.out()).contains("Exit codes:", "2   a bad argument, option, knob, file or value",
                "Options before a command apply to it");
    }

    @Test
    void everyVerbHasAHelpOfItsOwn() {
        for (String verb : verbs()) {
            Cli r = Cli.run(verb, "--help");
            assertThat(r.exit()).as(verb).isZero();
            assertThat(r.out()).as(verb).startsWith("Usage: ").contains(verb).doesNotContain("null");
            assertThat(r.err()).as(verb).isEmpty();
        }
        for (LauncherVerbs.Verb v : LauncherVerbs.ALL) {
            assertThat(Cli.run(v.name(), "--help").out()).startsWith("Usage: " + v.synopsis().substring(0, 20));
        }
    }

    @Test
    void theReadmesCommandListIsTheHelpsList() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher section = Pattern.compile("(?s)## Commands\\s+```\\n(.*?)```").matcher(readme);
        assertThat(section.find()).as("README.md has a ## Commands block").isTrue();
        Set<String> listed = new LinkedHashSet<>();
        Matcher line = Pattern.compile("(?m)^\\./slabworks +([a-z-]+)").matcher(section.group(1));
        while (line.find()) {
            listed.add(line.group(1));
        }
        Matcher alternatives = Pattern.compile("(?m)^\\./slabworks +[a-z-]+ +\\| +([a-z-]+)").matcher(section.group(1));
        while (alternatives.find()) {
            listed.add(alternatives.group(1));
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(verbs());
    }
}
