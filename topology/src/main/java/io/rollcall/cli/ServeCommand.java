package io.rollcall.cli;

import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run rollcall against a Kafka cluster until SIGINT/SIGTERM.",
                "Settings: the --config file, then ROLLCALL_* and KAFKA_* environment variables."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, description = "Properties file (default: $ROLLCALL_CONFIG).")
    Path config;

    @Override
    public Integer call() throws Exception {
        Path file = config != null ? config
                : System.getenv("ROLLCALL_CONFIG") != null ? Path.of(System.getenv("ROLLCALL_CONFIG")) : null;
        RollcallConfig settings = RollcallConfig.load(file, System.getenv());
        settings.bootstrapServers();
        // Failures while serving are logged, so they are JSON lines too with ROLLCALL_LOG_FORMAT=json.
        // Not a static logger: picocli creates every command up front, and the demo must choose
        // where logs go before the first logger exists.
        Logger log = LoggerFactory.getLogger(ServeCommand.class);
        Shutdown shutdown = new Shutdown();
        try {
            RollcallApp app = RollcallApp.start(settings);
            try (app) {
                while (!shutdown.await(1_000)) {
                    if (app.streams().state() == KafkaStreams.State.ERROR) {
                        log.error("Kafka Streams is in ERROR state; exiting");
                        return 1;
                    }
                }
                System.out.println("rollcall: shutting down");
            }
            if (!app.stoppedCleanly()) {
                log.error("Kafka Streams did not stop in time; exiting anyway");
                return 1;
            }
            System.out.println("rollcall: stopped cleanly");
            return 0;
        } finally {
            shutdown.finished();
        }
    }
}
