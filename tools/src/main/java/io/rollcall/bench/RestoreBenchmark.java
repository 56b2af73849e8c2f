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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Utils;

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
        restore();
        failover(1);
        failover(0);
    }

    /** Only the restore part; returns the restore rate in records per second. */
    public double restore() throws Exception {
        String prefix = "rbench-" + runId;
        Path stateDir = Files.createTempDirectory("rollcall-rbench");
        RollcallConfig config = BenchConfig.isolated(settings.bootstrapServers(), prefix,
                Map.of("rollcall.state.dir", stateDir.toString()));
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            Topics.create(admin, List.of(new NewTopic(config.eventsTopic(), settings.partitions(), (short) 1)));
        }
        // As many events as series: the workload draws series at random, so most but not
        // all ids get an event; the stores hold however many distinct ids that gives.
        LoadGenerator.preload(config.kafkaProperties(), new LoadGenerator.Settings(config.eventsTopic(), 0,
                settings.series(), settings.series(), 3), event -> { }, Duration.ofMinutes(5));
        out.printf("restore bench: %,d events over up to %,d series, %d partitions; app and broker in this JVM%n",
                settings.series(), settings.series(), settings.partitions());
        long aggregating = System.nanoTime();
        try (RollcallApp app = RollcallApp.start(config); Admin admin = Admin.create(config.kafkaProperties())) {
            Running.await(app, Duration.ofMinutes(20));
            while (Offsets.committed(admin, config.applicationId(), config.eventsTopic()) < settings.series()) {
                Thread.sleep(100);
                if (System.nanoTime() - aggregating > TimeUnit.MINUTES.toNanos(20)) {
                    throw new IllegalStateException("aggregation did not finish within 20 minutes");
                }
            }
        }
        out.printf("aggregated in %.1f s; stopped cleanly%n", (System.nanoTime() - aggregating) / 1e9);
        start("clean restart, local state kept (baseline)", config);
        Utils.delete(stateDir.toFile());
        return start("restart after deleting the state directory", config);
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
        LoadGenerator.preload(config.kafkaProperties(), new LoadGenerator.Settings(config.eventsTopic(), 0,
                FAILOVER_SERIES * 5L, FAILOVER_SERIES, 5), event -> ids.add(event.getId()), Duration.ofMinutes(2));
        try (ServeProcess a = ServeProcess.start(config, "a", fastFailureDetection);
             ServeProcess b = ServeProcess.start(config, "b", fastFailureDetection);
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
            List<Long> order = new java.util.ArrayList<>(ids);
            b.process().destroyForcibly();
            Outage outage = sweepUntilSettled(a, order, System.nanoTime());
            out.printf("SIGKILL of 1 of 2 instances, %d standby replica%s: %,d of %,d reads of the survivor failed; "
                    + "%s%n", standbys, standbys == 1 ? "" : "s", outage.failed(), outage.reads(), outage.window());
            out.printf("  %,d of the answers were stale (standby or restoring replica); failures by reason: %s%n",
                    outage.stale(), outage.reasons());
        }
    }

    /**
     * What reads of the survivor saw after the kill. {@code firstFailureMs}/{@code lastFailureMs}
     * are times after the kill (-1 when nothing failed).
     */
    record Outage(long reads, long failed, long stale, long firstFailureMs, long lastFailureMs,
                  Map<String, Integer> reasons) {
        String window() {
            return failed == 0 ? "no read failed"
                    : String.format("failures from %,d to %,d ms after the kill (every read succeeded after that)",
                            firstFailureMs, lastFailureMs);
        }
    }

    /** Quiet time after which a failover counts as settled: longer than session timeout plus a rebalance. */
    private static final long SETTLE_MS = 30_000;

    /**
     * Reads every id of {@code order} from the survivor round after round, each read once
     * (a failed read is not retried: the sweep goes on to the next id), until {@link #SETTLE_MS}
     * passed since the kill and one whole round ran without a failure.
     */
    private static Outage sweepUntilSettled(ServeProcess survivor, List<Long> order, long killed)
            throws InterruptedException {
        Map<String, Integer> reasons = new java.util.TreeMap<>();
        long reads = 0;
        long failed = 0;
        long stale = 0;
        long first = -1;
        long last = -1;
        boolean cleanRound = false;
        while (!cleanRound || System.nanoTime() - killed < TimeUnit.MILLISECONDS.toNanos(SETTLE_MS)) {
            if (System.nanoTime() - killed > TimeUnit.MINUTES.toNanos(3)) {
                throw new IllegalStateException("the survivor did not answer every id within 3 minutes");
            }
            cleanRound = true;
            for (long id : order) {
                reads++;
                String failure;
                try {
                    var response = readSeries(survivor, id);
                    failure = response.statusCode() == 200 ? null
                            : response.statusCode() + " " + ReadTally.abbreviate(response.body());
                    if (failure == null && response.body().contains("\"stale\":true")) {
                        stale++;
                    }
                } catch (IOException e) {
                    failure = e.getClass().getSimpleName();
                }
                if (failure != null) {
                    long at = (System.nanoTime() - killed) / 1_000_000;
                    first = first < 0 ? at : first;
                    last = at;
                    failed++;
                    cleanRound = false;
                    reasons.merge(failure, 1, Integer::sum);
                }
            }
        }
        return new Outage(reads, failed, stale, first, last, reasons);
    }

    private static String instancesView(ServeProcess instance) {
        try {
            return instance.get("/api/v1/instances").body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    /** One pass over every id; false at the first that is not answered with 200. */
    private static boolean everyIdAnswered(ServeProcess instance, java.util.Set<Long> ids) {
        for (long id : ids) {
            try {
                if (readSeries(instance, id).statusCode() != 200) {
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

    private static java.net.http.HttpResponse<String> readSeries(ServeProcess instance, long id)
            throws IOException, InterruptedException {
        return instance.get("/api/v1/metrics/" + io.rollcall.schema.SeriesId.of(id));
    }

    private double start(String what, RollcallConfig config) throws Exception {
        long started = System.nanoTime();
        try (RollcallApp app = RollcallApp.start(config)) {
            Running.await(app, Duration.ofMinutes(20));
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Long> restored = app.restoredRecords();
            long total = restored.values().stream().mapToLong(Long::longValue).sum();
            out.printf("%-46s RUNNING after %6.1f s; restored %,d records (%s)%s%n", what, seconds, total,
                    restored.isEmpty() ? "none" : restored,
                    total == 0 ? "" : String.format(", %,.0f records/s; all-time store %,d keys", total / seconds,
                            restored.getOrDefault(StoreNames.ALL_TIME, 0L)));
            return total / seconds;
        }
    }
}
