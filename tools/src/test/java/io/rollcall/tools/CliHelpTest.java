package io.rollcall.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** Every command's help is complete: a summary, every option and parameter described, and it renders cleanly. */
class CliHelpTest {

    @Test
    void everyCommandAndOptionIsDescribedAndHelpRendersWithoutWarnings() {
        List<String> problems = new ArrayList<>();
        check(RollcallTools.commandLine(), problems);
        assertThat(problems).isEmpty();
    }

    @Test
    void theToolCommandsComeWithTheServingOnes() {
        assertThat(RollcallTools.commandLine().getSubcommands().keySet())
                .contains("serve", "query", "rollout", "demo", "bench", "produce");
    }

    private static void check(CommandLine command, List<String> problems) {
        CommandSpec spec = command.getCommandSpec();
        String name = spec.qualifiedName();
        if (spec.usageMessage().description().length == 0) {
            problems.add(name + ": no description");
        }
        for (ArgSpec arg : spec.args()) {
            if (arg.isOption() && arg.descriptionKey() == null && (arg.description().length == 0
                    || arg.description()[0].isBlank())) {
                problems.add(name + " " + String.join("/", ((CommandLine.Model.OptionSpec) arg).names()) + ": no description");
            }
            if (arg.isPositional() && (arg.description().length == 0 || arg.description()[0].isBlank())) {
                problems.add(name + " " + arg.paramLabel() + ": no description");
            }
        }
        // picocli reports format problems (an unescaped %) on stderr while rendering.
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            String usage = command.getUsageMessage();
            assertThat(usage).contains("Usage: " + name);
        } finally {
            System.setErr(err);
        }
        String warnings = captured.toString(StandardCharsets.UTF_8);
        if (!warnings.isBlank()) {
            problems.add(name + ": " + warnings.strip());
        }
        command.getSubcommands().values().stream().distinct().forEach(sub -> {
            if (!sub.getCommandName().equals("help")) {
                check(sub, problems);
            }
        });
    }
}
