package io.rollcall.bench;

import io.rollcall.app.Offsets;
import io.rollcall.app.RollcallApp;
import io.rollcall.app.Topics;
import io.rollcall.config.RollcallConfig;
import io.rollcall.load.LoadGenerator;
import io.rollcall.topology.StoreNames;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * State restoration from the changelogs: aggregate {@code series} distinct ids (one event
 * each, so the all-time and window stores each hold that many keys), stop cleanly, delete
 * the local state directory, start again and time the way to RUNNING, with the records
 * restored per store. A clean restart on the kept directory is measured as the baseline.
 */
public final class RestoreBenchmark {

    /** Parameters of the run. */
    public record Settings(String bootstrapServers, int series, int partitions) {
    }

    private final Settings settings;
    private final PrintStream out;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);

    public RestoreBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public void run() throws Exception {
        String prefix = "rbench-" + runId;
        Path stateDir = Files.createTempDirectory("rollcall-rbench");
        RollcallConfig config = BenchConfig.isolated(settings.bootstrapServers(), prefix,
                Map.of("rollcall.state.dir", stateDir.toString()));
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            Topics.create(admin, List.of(new NewTopic(config.eventsTopic(), settings.partitions(), (short) 1)));
        }
        try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties())) {
            // As many events as series: the workload draws series at random, so most but not
            // all ids get an event; the stores hold however many distinct ids that gives.
            LoadGenerator generator = new LoadGenerator(producer, new LoadGenerator.Settings(config.eventsTopic(), 0,
                    settings.series(), settings.series(), 3), Clock.systemUTC());
            generator.run();
            if (!generator.awaitAcks(Duration.ofMinutes(5)) || generator.failed() > 0) {
                throw new IllegalStateException("preload incomplete");
            }
        }
        out.printf("restore bench: %,d events over up to %,d series, %d partitions; app and broker in this JVM%n",
                settings.series(), settings.series(), settings.partitions());
        long aggregating = System.nanoTime();
        try (RollcallApp app = RollcallApp.start(config); Admin admin = Admin.create(config.kafkaProperties())) {
            await(app);
            while (Offsets.committed(admin, config.applicationId(), config.eventsTopic()) < settings.series()) {
                Thread.sleep(100);
                if (System.nanoTime() - aggregating > TimeUnit.MINUTES.toNanos(20)) {
                    throw new IllegalStateException("aggregation did not finish within 20 minutes");
                }
            }
        }
        out.printf("aggregated in %.1f s; stopped cleanly%n", (System.nanoTime() - aggregating) / 1e9);
        start("clean restart, local state kept (baseline)", config);
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        start("restart after deleting the state directory", config);
        failover(1);
        failover(0);
    }

    /** Only the failover part (for quicker runs). */
    public void runFailover() throws Exception {
        failover(1);
        failover(0);
    }

    /** Series of the failover part: enough to have every partition busy, few enough to load fast. */
    private static final int FAILOVER_SERIES = 20_000;

    /**
     * Two instances ({@code rollcall serve}, each its own JVM), {@code standbys} standby
     * replicas: one is killed with SIGKILL, and the time until the survivor answers every
     * series again is measured (by a standby at once, or after the partitions moved and
     * were restored from the changelogs).
     */
    private void failover(int standbys) throws Exception {
        String prefix = "rbench-" + runId + "-failover" + standbys;
        RollcallConfig config = BenchConfig.isolated(settings.bootstrapServers(), prefix, Map.of(
                "rollcall.http.advertised-host", "127.0.0.1",
                "num.standby.replicas", Integer.toString(standbys),
                "num.stream.threads", "1"));
        Map<String, String> fastFailureDetection = Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1500");
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            Topics.create(admin, List.of(new NewTopic(config.eventsTopic(), settings.partitions(), (short) 1)));
        }
        java.util.Set<Long> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties())) {
            LoadGenerator generator = new LoadGenerator(producer, new LoadGenerator.Settings(config.eventsTopic(), 0,
                    FAILOVER_SERIES * 5L, FAILOVER_SERIES, 5), Clock.systemUTC()).tap(event -> ids.add(event.getId()));
            generator.run();
            if (!generator.awaitAcks(Duration.ofMinutes(2)) || generator.failed() > 0) {
                throw new IllegalStateException("preload incomplete");
            }
        }
        try (io.rollcall.app.ServeProcess a = io.rollcall.app.ServeProcess.start(config, "a", fastFailureDetection);
             io.rollcall.app.ServeProcess b = io.rollcall.app.ServeProcess.start(config, "b", fastFailureDetection);
             Admin admin = Admin.create(config.kafkaProperties())) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (Offsets.committed(admin, config.applicationId(), config.eventsTopic()) < FAILOVER_SERIES * 5L
                    || a.activePartitions(b.port()).isEmpty() || !everyIdAnswered(a, ids)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("instances did not catch up within 3 minutes");
                }
                Thread.sleep(500);
            }
            Thread.sleep(5_000); // standbys catch up
            out.printf("  before the kill, the survivor says: %s%n", instancesView(a));
            b.process().destroyForcibly();
            long killed = System.nanoTime();
            int passes = 0;
            failures.clear();
            while (!everyIdAnswered(a, ids)) {
                passes++;
                if (System.nanoTime() - killed > TimeUnit.MINUTES.toNanos(3)) {
                    throw new IllegalStateException("the survivor did not answer every id within 3 minutes");
                }
            }
            out.printf("SIGKILL of 1 of 2 instances, %d standby replica%s: every one of %,d series answered again by the "
                    + "survivor %,d ms after the kill (%d full passes before)%n", standbys, standbys == 1 ? "" : "s",
                    ids.size(), (System.nanoTime() - killed) / 1_000_000, passes);
            out.printf("  answers that ended a pass, by status: %s%n", failures);
        }
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static final Map<String, Integer> failures = new java.util.concurrent.ConcurrentSkipListMap<>();

    private static String abbreviate(String text) {
        String shape = text.replaceAll("\\d+", "N");
        return shape.length() > 120 ? shape.substring(0, 120) + "…" : shape;
    }

    private static String instancesView(io.rollcall.app.ServeProcess instance) {
        try {
            return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + instance.port() + "/api/v1/instances")).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    /** One pass over every id; false at the first that is not answered with 200. */
    private static boolean everyIdAnswered(io.rollcall.app.ServeProcess instance, java.util.Set<Long> ids) {
        for (long id : ids) {
            try {
                var response = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                        + instance.port() + "/api/v1/metrics/" + io.rollcall.schema.SeriesId.of(id)))
                        .timeout(Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    failures.merge(response.statusCode() + " " + abbreviate(response.body()), 1, Integer::sum);
                    return false;
                }
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void start(String what, RollcallConfig config) throws Exception {
        long started = System.nanoTime();
        try (RollcallApp app = RollcallApp.start(config)) {
            await(app);
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Long> restored = app.restoredRecords();
            long total = restored.values().stream().mapToLong(Long::longValue).sum();
            out.printf("%-46s RUNNING after %6.1f s; restored %,d records (%s)%s%n", what, seconds, total,
                    restored.isEmpty() ? "none" : restored,
                    total == 0 ? "" : String.format(", %,.0f records/s; all-time store %,d keys", total / seconds,
                            restored.getOrDefault(StoreNames.ALL_TIME, 0L)));
        }
    }

    private static void await(RollcallApp app) throws InterruptedException {
        if (!app.awaitRunning(Duration.ofMinutes(20))) {
            throw new IllegalStateException("the app did not reach RUNNING within 20 minutes");
        }
    }
}
