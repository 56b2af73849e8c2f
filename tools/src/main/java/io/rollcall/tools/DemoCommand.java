package io.rollcall.tools;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.app.RollcallApp;
import io.rollcall.rollout.RolloutWriter;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.Slo;
import io.rollcall.schema.avro.SloKind;
import java.time.Instant;
import io.rollcall.app.Offsets;
import io.rollcall.cli.Shutdown;
import io.rollcall.config.Durations;
import io.rollcall.config.RollcallConfig;
import io.rollcall.config.RollcallSettings;
import io.rollcall.embedded.EmbeddedKafka;
import io.rollcall.load.LoadGenerator;
import io.rollcall.load.Workload;
import io.rollcall.query.Answer;
import io.rollcall.registry.RegistryClient;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.registry.ConfluentFramed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Everything in one process, until Ctrl-C: broker, rollcall, load and two canaries.",
                "An embedded Kafka broker, the topics, rollcall and a load generator. Prints the",
                "dashboard URL, progress, aggregates read back through interactive queries, and",
                "every verdict of two canary rollouts (one promoted, one rolled back)."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--rate", defaultValue = "5000", description = "Events per second (default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--series", defaultValue = "3000", description = "Distinct series ids (default: ${DEFAULT-VALUE}).")
    int series;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions of metric-events (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--duration", description = "Stop by itself after this long, e.g. 60s (default: run until Ctrl-C).")
    String duration;

    @Option(names = "--registry", paramLabel = "URL", description = {
            "A schema registry's Confluent-compatible API, e.g. http://localhost:8081 or an Apicurio",
            "Registry's http://localhost:8080/apis/ccompat/v7: every other event is then written in the",
            "Confluent wire format, its schema registered under metric-events-value (default: none)."})
    String registry;

    /** The system property log4j2.xml reads: when set, Kafka's loggers write to this file only. */
    static final String KAFKA_LOG_FILE = "rollcall.kafka.log.file";

    private static final long PROGRESS_MS = 2_000;
    private static final Duration DEMO_WINDOW = Duration.ofSeconds(10);
    private static final long AGGREGATES_EVERY_MS = 30_000;
    private static final long FIRST_AGGREGATES_AFTER_MS = 8_000;

    @Override
    public Integer call() throws Exception {
        // The broker and the clients share this JVM and would fill the terminal with their
        // logs (transient warnings are normal while everything starts at once); log4j2.xml
        // sends all of Kafka to this file instead. Kept after the demo, to read what happened.
        // Must happen before the first logger exists.
        Path kafkaLog = Files.createTempFile("rollcall-demo-kafka-", ".log");
        System.setProperty(KAFKA_LOG_FILE, kafkaLog.toString());
        Duration limit = duration == null ? null : Durations.parse("--duration", duration);
        Shutdown shutdown = new Shutdown();
        Path stateDir = Files.createTempDirectory("rollcall-demo-state");
        try {
            say("starting an embedded Kafka broker (KRaft, single node); Kafka's logs (broker and clients) go to %s",
                    kafkaLog);
            int exitCode;
            try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
                say("broker up at %s", kafka.bootstrapServers());
                exitCode = runWith(kafka, stateDir, shutdown, limit);
            }
            say(exitCode == 0 ? "stopped cleanly" : "stopped");
            return exitCode;
        } finally {
            deleteQuietly(stateDir);
            shutdown.finished();
        }
    }

    private int runWith(EmbeddedKafka kafka, Path stateDir, Shutdown shutdown, Duration limit) throws Exception {
        // A fresh token each run, printed below: the demo is local, and writes need one.
        byte[] secret = new byte[18];
        new java.security.SecureRandom().nextBytes(secret);
        String token = java.util.HexFormat.of().formatHex(secret);
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "rollcall.application.id", "rollcall-demo",
                "rollcall.state.dir", stateDir.toString(),
                "rollcall.http.port", Integer.toString(httpPort),
                "rollcall.api.token", token));
        if (registry != null) {
            settings.put(RollcallSettings.REGISTRY_URL, registry);
        }
        RollcallConfig config = RollcallConfig.of(settings);
        // Only the input topic: rollcall creates the others as it does in production (Topics.plan).
        kafka.createTopics(List.of(new NewTopic(config.eventsTopic(), partitions, (short) 1)));
        say("topics %s (%d partitions), %s (compacted), %s", config.eventsTopic(), partitions,
                config.aggregatesTopic(), config.deadLetterTopic());
        try (RollcallApp app = RollcallApp.start(config);
             KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties());
             Admin admin = Admin.create(config.kafkaProperties())) {
            if (!app.awaitRunning(Duration.ofSeconds(60))) {
                say("rollcall did not reach RUNNING within 60 s (state %s)", app.streams().state());
                return 1;
            }
            say("rollcall RUNNING (exactly-once v2, state in %s)", stateDir);
            String base = "http://localhost:" + app.httpPort();
            say("dashboard: %s/ (live rollouts, verdicts, series lookup, partitions)", base);
            say("HTTP API: %s/api/v1/metrics?limit=5 · %s/api/v1/rollouts · %s/api/v1/instances · %s/metrics",
                    base, base, base, base);
            say("writes (PUT/DELETE %s/api/v1/rollouts/{service}) take this run's token: Authorization: Bearer %s",
                    base, token);
            LoadGenerator generator = new LoadGenerator(producer,
                    new LoadGenerator.Settings(config.eventsTopic(), rate, 0, series, 1), Clock.systemUTC());
            if (config.registry() != null) {
                generator.encodeWith(bothEncodings(config));
            }
            Thread worker = new Thread(generator, "load-generator");
            worker.setDaemon(true);
            worker.start();
            say("load generator: %,d events/s over %,d series of 5 services; Ctrl-C to stop", rate, series);
            try (VerdictPrinter verdicts = new VerdictPrinter(config, System.out)) {
                startRollouts(config, generator.workload(), base);
                run(config, app, admin, producer, generator, shutdown, limit);
            }
            generator.stop();
            worker.join(10_000);
            say("stopping: load generator stopped after %,d events; closing rollcall and the broker…",
                    generator.sent());
        }
        return 0;
    }

    /**
     * Every other event in the Confluent wire format, as a producer with a registry-aware
     * serializer writes it, the others in single-object encoding: both producers side by side.
     */
    private static LoadGenerator.Encoding bothEncodings(RollcallConfig config) {
        String subject = config.eventsTopic() + "-value";
        int id = RegistryClient.of(config.registry()).register(subject, MetricEvent.getClassSchema());
        say("schema registry %s: MetricEvent is schema %d under %s; every other event is written in the Confluent "
                + "wire format (00, the id, the body), the rest in single-object encoding (C3 01, the fingerprint, "
                + "the body)", config.registry().urls(), id, subject);
        AvroSerde<MetricEvent> singleObject = AvroSerde.metricEvent();
        return (n, event) -> n % 2 == 0 ? singleObject.serialize(event)
                : ConfluentFramed.fromSingleObject(id, singleObject.serialize(event));
    }

    /** Two canary rollouts: checkout's canary is healthy (promoted), payments' regresses (rolled back). */
    private static void startRollouts(RollcallConfig config, Workload workload, String base) throws Exception {
        workload.regress("payments");
        try (RolloutWriter writer = new RolloutWriter(config)) {
            for (String service : List.of("checkout", "payments")) {
                writer.put(RolloutSpec.newBuilder()
                        .setRolloutId(Workload.canaryRevision(service))
                        .setService(service)
                        .setBaselineRevision(Workload.stableRevision(service))
                        .setCanaryRevision(Workload.canaryRevision(service))
                        .setSlos(List.of(
                                Slo.newBuilder().setKind(SloKind.LATENCY).setQuantile(0.95).setThreshold(1000.0)
                                        .setMaxRelativeIncrease(0.5).build(),
                                Slo.newBuilder().setKind(SloKind.ERROR_RATE).setThreshold(0.02).build()))
                        .setAnalysisWindow(DEMO_WINDOW.toMillis())
                        .setMinSamples(50)
                        .setFailureLimit(2)
                        .setSuccessWindows(3)
                        .setStartedAt(Instant.now())
                        .build());
            }
        }
        say("rollouts: checkout's canary %s is healthy; payments' canary %s regresses (%.1f× slower, %.0f %% errors)",
                Workload.canaryRevision("checkout"), Workload.canaryRevision("payments"), Workload.REGRESSION_SLOWDOWN,
                Workload.REGRESSION_ERROR_RATE * 100);
        say("judged every %d s against p95 <= 1 s and <= baseline +50 %%, errors <= 2 %%; verdicts below as they "
                + "are published · %s/api/v1/rollouts/checkout", DEMO_WINDOW.toSeconds(), base);
        say("expect: checkout CONTINUE window by window, then PROMOTE after 3 passing windows (~%d s); payments "
                + "ROLLBACK as soon as its error rate is conclusively above 2 %% (usually inside its first windows)",
                3 * DEMO_WINDOW.toSeconds());
        say("watch it: open %s/ · rollcall rollout watch payments --url %s · rollcall rollout status checkout --url %s "
                + "· rollcall query --url %s --limit 5", base, base, base, base);
    }

    private void run(RollcallConfig config, RollcallApp app, Admin admin, KafkaProducer<byte[], byte[]> producer,
                     LoadGenerator generator, Shutdown shutdown, Duration limit) throws Exception {
        long started = System.currentTimeMillis();
        long nextAggregates = started + FIRST_AGGREGATES_AFTER_MS;
        long lastSent = 0;
        long lastProcessed = 0;
        int badSent = 0;
        while (!shutdown.await(PROGRESS_MS)) {
            // A bad record now and then shows the dead-letter path at work.
            producer.send(new ProducerRecord<>(config.eventsTopic(), SeriesId.of(badSent).toBytes(),
                    ("not an event #" + badSent).getBytes(StandardCharsets.UTF_8)));
            badSent++;
            long sent = generator.sent();
            long processed = Progress.processed(app.streams());
            say("produced %,d (%,d/s) · processed %,d (%,d/s) · dead-lettered %,d · state %s",
                    sent, (sent - lastSent) * 1000 / PROGRESS_MS, processed,
                    (processed - lastProcessed) * 1000 / PROGRESS_MS,
                    endOffsets(admin, config.deadLetterTopic()), app.streams().state());
            lastSent = sent;
            lastProcessed = processed;
            long now = System.currentTimeMillis();
            if (now >= nextAggregates) {
                printAggregates(app, generator.workload());
                nextAggregates = now + AGGREGATES_EVERY_MS;
            }
            if (limit != null && now - started >= limit.toMillis()) {
                break;
            }
        }
    }

    private static void printAggregates(RollcallApp app, Workload workload) {
        String base = "http://localhost:" + app.httpPort() + "/api/v1/metrics/";
        Map<String, Workload.Series> picks = new LinkedHashMap<>();
        for (Workload.Series s : workload.series()) {
            picks.putIfAbsent(s.template().name(), s); // one series of each kind
        }
        say("a few aggregates, read back through interactive queries:");
        System.out.printf("  %-20s %-21s %-14s %9s %10s %10s %10s %10s %8s%n",
                "series id", "metric", "revision", "count", "mean", "p50", "p99", "max", "errors");
        String last = null;
        for (Workload.Series s : picks.values()) {
            Answer<Aggregate> lookup = app.aggregate(SeriesId.of(s.id()));
            String id = SeriesId.of(s.id()).toString();
            if (lookup instanceof Answer.Local<Aggregate> found) {
                Aggregate a = found.value();
                System.out.printf("  %-20s %-21s %-14s %,9d %10.2f %10.2f %10.2f %10.2f %8d%n",
                        id, a.name(), s.revision(), a.count(), a.mean(), a.quantile(0.5), a.quantile(0.99),
                        a.max(), a.errorCount());
                last = id;
            } else if (lookup instanceof Answer.NotFound) {
                System.out.printf("  %-20s %-21s no events yet%n", id, s.template());
            } else if (lookup instanceof Answer.NotReady<Aggregate> notReady) {
                System.out.printf("  %-20s not queryable now: %s%n", id, notReady.reason());
            }
        }
        if (last != null) {
            say("the same over HTTP: curl %s%s", base, last);
        }
    }

    private static long endOffsets(Admin admin, String topic) {
        try {
            return Offsets.lastStable(admin, List.of(topic)).values().stream().mapToLong(Long::longValue).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static void say(String format, Object... args) {
        System.out.printf("[demo] " + format + "%n", args);
    }

}
