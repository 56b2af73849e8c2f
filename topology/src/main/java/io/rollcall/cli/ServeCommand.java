package io.rollcall.cli;

import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
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
        Shutdown shutdown = new Shutdown();
        try {
            RollcallApp app = RollcallApp.start(settings);
            try (app) {
                while (!shutdown.await(1_000)) {
                    if (app.streams().state() == KafkaStreams.State.ERROR) {
                        System.err.println("rollcall: Kafka Streams is in ERROR state; exiting");
                        return 1;
                    }
                }
                System.out.println("rollcall: shutting down");
            }
            if (!app.stoppedCleanly()) {
                System.err.println("rollcall: Kafka Streams did not stop in time; exiting anyway");
                return 1;
            }
            System.out.println("rollcall: stopped cleanly");
            return 0;
        } finally {
            shutdown.finished();
        }
    }
}
