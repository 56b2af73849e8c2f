package io.rollcall.tools;

import io.rollcall.cli.Rollcall;
import picocli.CommandLine;

/**
 * The {@code rollcall} executable with the tools: the serving commands plus {@code demo},
 * {@code bench} and {@code produce}, which need the in-process broker and the load generator
 * and therefore live outside the serving jar.
 */
public final class RollcallTools {

    private RollcallTools() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The serving CLI with the tool commands added. */
    static CommandLine commandLine() {
        CommandLine cli = Rollcall.commandLine();
        cli.getCommandSpec().usageMessage().footer(new String[0]);
        cli.addSubcommand("demo", new DemoCommand());
        cli.addSubcommand("produce", new ProduceCommand());
        cli.addSubcommand("bench", new BenchCommand());
        return cli;
    }
}
