package io.rollcall.cli;

import io.rollcall.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rollcall} executable. Picocli gives us typed options, help and completion without hand-written parsing. */
@Command(name = "rollcall",
        mixinStandardHelpOptions = true,
        version = "rollcall 0.1.0",
        description = "Kafka Streams metrics pipeline: always-current aggregates of metric events.",
        footer = {"", "From a source checkout, ./rollcall also runs the tools: demo, bench and produce."},
        subcommands = {ServeCommand.class, QueryCommand.class, RolloutCommand.class, CommandLine.HelpCommand.class})
public final class Rollcall {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The CLI with rollcall's error handling: configuration and client errors are one line, no stack trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Rollcall());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("rollcall: configuration error: " + e.getMessage());
                return 2;
            }
            if (e instanceof ApiClient.CliError error) {
                commandLine.getErr().println("rollcall: " + error.getMessage());
                commandLine.getErr().flush();
                return error.exitCode;
            }
            throw e;
        });
        return cli;
    }
}
