package io.rollcall.cli;

import io.rollcall.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rollcall} executable. Picocli gives us typed options, help and completion without hand-written parsing. */
@Command(name = "rollcall",
        mixinStandardHelpOptions = true,
        versionProvider = Rollcall.Version.class,
        description = "Kafka Streams metrics pipeline: always-current aggregates of metric events.",
        footer = {"", "From a source checkout, ./rollcall also runs the tools: demo, bench and produce."},
        subcommands = {ServeCommand.class, QueryCommand.class, RolloutCommand.class, CommandLine.HelpCommand.class})
public final class Rollcall {

    /** The version the jar was built as (its manifest), so it is defined once: in the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Rollcall.class.getPackage().getImplementationVersion();
            return new String[] {"rollcall " + (version == null ? "(unpackaged build)" : version)};
        }
    }

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
