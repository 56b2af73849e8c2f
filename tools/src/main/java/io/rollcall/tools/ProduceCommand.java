package io.rollcall.tools;

import io.rollcall.cli.Shutdown;
import io.rollcall.config.RollcallConfig;
import io.rollcall.app.Eta;
import io.rollcall.load.Fnv1aPartitioner;
import io.rollcall.load.LoadGenerator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Load generator: a realistic mix of metric events (services, revisions, TIMER latencies with 5xx, gauges, counters).")
final class ProduceCommand implements Callable<Integer> {

    @Option(names = {"-b", "--bootstrap-servers"}, description = "Kafka bootstrap servers (default: from config/KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = {"-c", "--config"}, description = "Properties file with Kafka client settings (security etc.).")
    Path config;

    @Option(names = {"-t", "--topic"}, description = "Topic (default: rollcall.topic.events).")
    String topic;

    @Option(names = "--rate", defaultValue = "10000", description = "Events per second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--count", defaultValue = "0", description = "Events to send; 0 = until Ctrl-C (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--series", defaultValue = "10000", description = "Distinct series ids (default: ${DEFAULT-VALUE}).")
    int series;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed; same seed, same ids (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--partitioner", defaultValue = "murmur2",
            description = "murmur2 (Kafka's default) or fnv1a (sarama's hash partitioner) (default: ${DEFAULT-VALUE}).")
    String partitioner;

    @Override
    public Integer call() throws Exception {
        RollcallConfig settings = RollcallConfig.load(config, System.getenv());
        if (bootstrapServers != null) {
            settings = settings.with(Map.of("bootstrap.servers", bootstrapServers));
        }
        settings.bootstrapServers();
        Properties props = LoadGenerator.producerProperties(settings.kafkaProperties());
        switch (partitioner) {
            case "murmur2" -> { }
            case "fnv1a" -> props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, Fnv1aPartitioner.class.getName());
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--partitioner must be murmur2 or fnv1a, got " + partitioner);
        }
        String target = topic != null ? topic : settings.eventsTopic();
        Shutdown shutdown = new Shutdown();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            LoadGenerator generator = new LoadGenerator(producer,
                    new LoadGenerator.Settings(target, rate, count, series, seed), Clock.systemUTC());
            Thread worker = new Thread(generator, "load-generator");
            worker.start();
            long started = System.nanoTime();
            while (worker.isAlive()) {
                if (shutdown.await(2_000)) {
                    generator.stop();
                }
                System.out.printf("%s; acknowledged %,d, failed %,d%n",
                        Eta.line("produced", generator.sent(), count, (System.nanoTime() - started) / 1e9),
                        generator.acked(), generator.failed());
            }
            worker.join();
            generator.awaitAcks(Duration.ofSeconds(30));
            System.out.printf("done: %,d sent to %s, %,d acknowledged, %,d failed%n",
                    generator.sent(), target, generator.acked(), generator.failed());
            return generator.failed() == 0 ? 0 : 1;
        } finally {
            shutdown.finished();
        }
    }
}
