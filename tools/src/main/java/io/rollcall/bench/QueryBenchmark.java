package io.rollcall.bench;

import io.rollcall.app.Offsets;
import io.rollcall.app.Topics;
import io.rollcall.config.RollcallConfig;
import io.rollcall.load.LoadGenerator;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.KeyPartitioner;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.HdrHistogram.ConcurrentHistogram;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * HTTP query latency at a fixed request rate, with two instances of rollcall (each its own JVM):
 * reads of series the asked instance owns (local) and of series the other instance owns
 * (forwarded), each kind in a window of its own and then both interleaved in one window (the
 * pair whose ratio is judged), first alone, then while events are ingested at a given rate. Latency is
 * measured from each request's scheduled send time (open loop, so a stall counts against
 * every request it delays: no coordinated omission), into HdrHistogram.
 */
public final class QueryBenchmark {

    /**
     * Parameters of the run.
     *
     * @param warmup how long both kinds of reads go to the instances, unreported, before the scenarios
     */
    public record Settings(String bootstrapServers, int series, int rate, Duration warmup, Duration measure,
                           long ingestRate) {
    }

    /** The default warm-up: fresh instances here compile the read path for most of a minute at 2,000 reads/s. */
    public static final Duration WARMUP = Duration.ofSeconds(60);
    /** Unreported reads before each scenario, of its own kind. */
    private static final Duration SCENARIO_WARMUP = Duration.ofSeconds(5);

    private final Settings settings;
    private final PrintStream out;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private static final int PARTITIONS = 6;
    private static final Duration SETTLE = Duration.ofSeconds(15);

    private static final String LOCAL = "local hits";
    private static final String FORWARDED = "forwarded hits";
    /** Suffix of the scenarios that interleave local and forwarded reads in one window. */
    private static final String INTERLEAVED = ", interleaved";
    private static final String INGESTING = ", ingesting";

    /** What a forwarded read may cost, as a multiple of a local read in the same run (p50 and p99). */
    static final double FORWARD_RATIO_TARGET = 2.5;

    /** Connections the client may use at once; requests beyond wait (and their wait counts as latency). */
    private static final int MAX_IN_FLIGHT = 64;

    /** Jetty's client, as the forwarder uses: fewer threads and allocations per request than the JDK's. */
    private final HttpClient client = new HttpClient();

    public QueryBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public void run() throws Exception {
        client.setMaxConnectionsPerDestination(MAX_IN_FLIGHT);
        client.setConnectTimeout(2_000);
        client.start();
        try {
            measure();
        } finally {
            client.stop();
        }
    }

    private void measure() throws Exception {
        RollcallConfig base = BenchConfig.isolated(settings.bootstrapServers(), "qbench-" + runId, Map.of(
                "rollcall.http.advertised-host", "127.0.0.1",
                "num.stream.threads", "1"));
        String topic = base.eventsTopic();
        try (Admin admin = Admin.create(base.kafkaProperties())) {
            Topics.create(admin, List.of(new NewTopic(topic, PARTITIONS, (short) 1)));
        }
        long preload = settings.series() * 5L;
        Set<Long> withEvents = ConcurrentHashMap.newKeySet();
        LoadGenerator.preload(base.kafkaProperties(), new LoadGenerator.Settings(topic, 0, preload, settings.series(), 3),
                event -> withEvents.add(event.getId()), Duration.ofMinutes(1));
        // Each instance in its own JVM, as in production: one instance's GC or CPU burst
        // does not stall the other, and the load generator's client is not inside either.
        try (ServeProcess a = ServeProcess.start(base, "a"); ServeProcess b = ServeProcess.start(base, "b");
             Admin admin = Admin.create(base.kafkaProperties())) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            List<Integer> partitionsOfA = List.of();
            while (Offsets.committed(admin, base.applicationId(), topic) < preload || partitionsOfA.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("instances did not catch up within 3 minutes");
                }
                for (ServeProcess instance : List.of(a, b)) {
                    if (!instance.process().isAlive()) {
                        throw new IllegalStateException("an instance exited with status "
                                + instance.process().exitValue() + "; its log: " + instance.log());
                    }
                }
                Thread.sleep(500);
                partitionsOfA = a.activePartitions(b.port());
            }
            out.printf("instances caught up; settling for %s before measuring%n", SETTLE);
            Thread.sleep(SETTLE.toMillis());
            partitionsOfA = a.activePartitions(b.port());
            List<String> local = new ArrayList<>();
            List<String> remote = new ArrayList<>();
            for (long id : withEvents) {
                int partition = KeyPartitioner.partition(SeriesId.of(id).toBytes(), PARTITIONS);
                (partitionsOfA.contains(partition) ? local : remote).add(SeriesId.of(id).toString());
            }
            String target = "http://127.0.0.1:" + a.port() + "/api/v1/metrics/";
            out.printf("query bench: 2 instances, each its own JVM (1 stream thread), broker and client in this JVM; "
                            + "%,d series with events (%,d owned by the asked instance, %,d by the other); %,d requests/s; "
                            + "warm-up %s, measured %s per scenario%n",
                    withEvents.size(), local.size(), remote.size(), settings.rate(), settings.warmup(), settings.measure());
            instances = List.of(a, b);
            // Both kinds interleaved, unreported, as an instance serves them: the JIT then compiles the
            // shared paths (routing, rendering) with both branches taken. One kind after the other, it
            // compiled them for local reads only, and the forwarded scenario paid for deoptimising and
            // recompiling them (seconds of C2 time on two busy cores) inside its measured window.
            List<String> mixed = interleaved(local, remote);
            if (!mixed.isEmpty()) {
                warmUp(target, mixed);
            }
            out.printf("%-40s %9s %9s %9s %9s %11s %7s %17s %15s%n", "scenario", "p50 ms", "p99 ms", "p99.9 ms", "max ms",
                    "achieved/s", "errors", "CPU ms/req: A, B", "JIT ms: A, B");
            // The baseline: the same HTTP stack, JVMs and machine, without a store or a forward.
            scenario("baseline: GET /health/live", "http://127.0.0.1:" + a.port() + "/health/", List.of("live"));
            scenario(LOCAL, target, local);
            scenario(FORWARDED, target, remote);
            paired("", target, local, remote);
            if (settings.ingestRate() <= 0) {
                ratios("", false);
                ratios(INTERLEAVED, true);
                return;
            }
            try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(base.kafkaProperties())) {
                LoadGenerator ingest = new LoadGenerator(producer, new LoadGenerator.Settings(topic,
                        settings.ingestRate(), 0, settings.series(), 5), Clock.systemUTC());
                Thread ingester = new Thread(ingest, "bench-ingest");
                ingester.setDaemon(true);
                ingester.start();
                // Ingesting compiles the stream threads' paths and recompiles shared ones: warm up again.
                if (!mixed.isEmpty()) {
                    warmUp(target, mixed);
                }
                long sentBefore = ingest.sent();
                long t0 = System.nanoTime();
                scenario(LOCAL + INGESTING, target, local);
                scenario(FORWARDED + INGESTING, target, remote);
                paired(INGESTING, target, local, remote);
                double achieved = (ingest.sent() - sentBefore) / ((System.nanoTime() - t0) / 1e9);
                ingest.stop();
                ingester.join(10_000);
                out.printf("ingestion during the last three scenarios: %,.0f events/s (asked for %,d)%n", achieved,
                        settings.ingestRate());
            }
            ratios("", false);
            ratios(INTERLEAVED, true);
            ratios(INGESTING, false);
            ratios(INTERLEAVED + INGESTING, true);
        }
    }

    /** p50, p99 and p99.9 in milliseconds per measured scenario, in the order run. */
    public Map<String, double[]> results() {
        return results;
    }

    private final Map<String, double[]> results = new java.util.LinkedHashMap<>();
    /** The serving instances, whose CPU time each scenario reports. */
    private List<ServeProcess> instances = List.of();

    /**
     * Forwarded over local reads at p50 and p99, of the scenarios named with {@code suffix}; judged
     * against the target only for interleaved reads, the pair that shared every stall of the machine.
     */
    private void ratios(String suffix, boolean judged) {
        double[] local = results.get(LOCAL + suffix);
        double[] forwarded = results.get(FORWARDED + suffix);
        if (local == null || forwarded == null) {
            return;
        }
        String[] percentiles = {"p50", "p99"};
        for (int i = 0; i < percentiles.length; i++) {
            double ratio = forwarded[i] / local[i];
            out.printf("forwarded / local %s%-27s %9.2f   %s%n", percentiles[i], suffix, ratio, judged
                    ? String.format("target <= %.1f (%s)", FORWARD_RATIO_TARGET, ratio <= FORWARD_RATIO_TARGET ? "met" : "missed")
                    : "(windows of their own)");
        }
    }

    /** Forwarded over local reads at p50 and p99 of the interleaved scenario, alone or while ingesting. */
    public OptionalDouble[] forwardedOverLocal(boolean ingesting) {
        String suffix = INTERLEAVED + (ingesting ? INGESTING : "");
        double[] local = results.get(LOCAL + suffix);
        double[] forwarded = results.get(FORWARDED + suffix);
        OptionalDouble[] ratios = {OptionalDouble.empty(), OptionalDouble.empty()};
        if (local != null && forwarded != null) {
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = OptionalDouble.of(forwarded[i] / local[i]);
            }
        }
        return ratios;
    }

    /** CPU time each instance's JVM has used so far, in nanoseconds, in the order of {@link #instances}. */
    private long[] instancesCpuNanos() {
        return instances.stream().mapToLong(instance -> instance.process().info().totalCpuDuration()
                .map(Duration::toNanos).orElse(0L)).toArray();
    }

    /**
     * Local and forwarded reads interleaved, unreported, for {@link Settings#warmup}. Fresh instance
     * JVMs at 2,000 reads/s on two shared cores still compile the request path with C2 (seconds of
     * compiler time per 5 s) for most of a minute; measured then, the CPU per read and the
     * forwarded reads' latency are those of the compiler's competition, not of the reads. The JIT
     * time of the warm-up's last seconds and of each scenario is printed, to show it has settled.
     */
    private void warmUp(String target, List<String> mixed) throws InterruptedException {
        load(target, mixed, settings.warmup().minus(SCENARIO_WARMUP), id -> null);
        long[] before = instancesJitMillis();
        load(target, mixed, SCENARIO_WARMUP, id -> null);
        long[] after = instancesJitMillis();
        out.printf("warm-up: %d s of local and forwarded reads; JIT compiler time in its last %d s: A %,d ms, B %,d ms%n",
                settings.warmup().toSeconds(), SCENARIO_WARMUP.toSeconds(), after[0] - before[0], after[1] - before[1]);
    }

    /** Total JIT compiler time of each instance's JVM so far, in the order of {@link #instances}; -1 when unknown. */
    private long[] instancesJitMillis() {
        return instances.stream().mapToLong(instance -> instance.tryGet("/metrics")
                .filter(response -> response.statusCode() == 200)
                .map(response -> Exposition.sum(response.body(), JIT_TIME))
                .filter(OptionalDouble::isPresent)
                .map(time -> (long) time.getAsDouble()).orElse(-1L)).toArray();
    }

    /** What every instance exports of its JIT compilers' time (Micrometer's {@code JvmCompilationMetrics}). */
    private static final String JIT_TIME = "jvm_compilation_time_ms_total";

    /** {@code a} and {@code b} alternating, until the shorter ends. */
    private static List<String> interleaved(List<String> a, List<String> b) {
        List<String> mixed = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            mixed.add(a.get(i));
            mixed.add(b.get(i));
        }
        return mixed;
    }

    private void scenario(String name, String target, List<String> ids) throws InterruptedException {
        if (ids.isEmpty()) {
            out.printf("%-40s no series for this scenario%n", name);
            return;
        }
        load(target, ids, SCENARIO_WARMUP, id -> null);
        Histogram histogram = newHistogram();
        measured(target, ids, id -> histogram, List.of(name), List.of(histogram));
    }

    /**
     * Local and forwarded reads alternating in one window, each kind into its own histogram: both
     * kinds meet the same compilations, collections and ingestion bursts, so their ratio is a
     * comparison of the reads, not of two windows of a machine whose load drifts between them.
     */
    private void paired(String suffix, String target, List<String> local, List<String> remote)
            throws InterruptedException {
        List<String> mixed = interleaved(local, remote);
        if (mixed.isEmpty()) {
            out.printf("%-40s no series for this scenario%n", "interleaved" + suffix);
            return;
        }
        load(target, mixed, SCENARIO_WARMUP, id -> null);
        Set<String> ownedByA = new HashSet<>(local);
        Histogram localHistogram = newHistogram();
        Histogram forwardedHistogram = newHistogram();
        measured(target, mixed, id -> ownedByA.contains(id) ? localHistogram : forwardedHistogram,
                List.of(LOCAL + INTERLEAVED + suffix, FORWARDED + INTERLEAVED + suffix),
                List.of(localHistogram, forwardedHistogram));
    }

    private static Histogram newHistogram() {
        return new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
    }

    /**
     * One measured window of {@code ids}, each answer recorded where {@code histogramOf} says; prints
     * a row per histogram (the CPU and JIT columns are the window's, per request of any kind).
     */
    private void measured(String target, List<String> ids, Function<String, Histogram> histogramOf,
                          List<String> names, List<Histogram> histograms) throws InterruptedException {
        AtomicLong errors = new AtomicLong();
        long[] jitBefore = instancesJitMillis();
        long[] cpuBefore = instancesCpuNanos();
        long started = System.nanoTime();
        long sent = load(target, ids, settings.measure(), histogramOf, errors);
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] cpuAfter = instancesCpuNanos();
        long[] jitAfter = instancesJitMillis();
        long answered = 0;
        for (int i = 0; i < names.size(); i++) {
            Histogram histogram = histograms.get(i);
            answered += histogram.getTotalCount();
            // Each instance's whole JVM (stream thread, GC and JIT included): what a read costs where.
            out.printf("%-40s %9.3f %9.3f %9.3f %9.3f %,11.0f %7d %8.3f,%8.3f %7d,%7d%n", names.get(i),
                    histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(99) / 1e6,
                    histogram.getValueAtPercentile(99.9) / 1e6, histogram.getMaxValue() / 1e6,
                    histogram.getTotalCount() / seconds, errors.get(),
                    (cpuAfter[0] - cpuBefore[0]) / 1e6 / Math.max(1, sent),
                    (cpuAfter[1] - cpuBefore[1]) / 1e6 / Math.max(1, sent),
                    jitAfter[0] - jitBefore[0], jitAfter[1] - jitBefore[1]);
            results.put(names.get(i), new double[] {histogram.getValueAtPercentile(50) / 1e6,
                    histogram.getValueAtPercentile(99) / 1e6, histogram.getValueAtPercentile(99.9) / 1e6});
        }
        if (sent != answered + errors.get()) {
            out.printf("  (%d requests unanswered)%n", sent - answered - errors.get());
        }
    }

    /** Sends {@code ids} in turn at the set rate for {@code duration}; answers go where {@code histogramOf} says (null: nowhere). */
    private long load(String target, List<String> ids, Duration duration, Function<String, Histogram> histogramOf)
            throws InterruptedException {
        return load(target, ids, duration, histogramOf, new AtomicLong());
    }

    private long load(String target, List<String> ids, Duration duration, Function<String, Histogram> histogramOf,
                      AtomicLong errors) throws InterruptedException {
        long interval = 1_000_000_000L / settings.rate();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        Semaphore permits = new Semaphore(MAX_IN_FLIGHT);
        long n = 0;
        for (long due = start; due < end; due += interval) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            permits.acquire();
            String id = ids.get((int) (n++ % ids.size()));
            Histogram histogram = histogramOf.apply(id);
            long scheduled = due;
            CompletableFuture<Void> done = new CompletableFuture<>();
            client.newRequest(target + id).timeout(10, TimeUnit.SECONDS).send(new BufferingResponseListener() {
                @Override
                public void onComplete(Result result) {
                    permits.release();
                    if (result.isFailed() || result.getResponse().getStatus() != 200) {
                        errors.incrementAndGet();
                    } else if (histogram != null) {
                        histogram.recordValue(Math.max(0, System.nanoTime() - scheduled));
                    }
                    done.complete(null);
                }
            });
            inFlight.add(done);
            if (inFlight.size() > 10_000) {
                inFlight.removeIf(CompletableFuture::isDone);
            }
        }
        CompletableFuture.allOf(inFlight.toArray(new CompletableFuture<?>[0])).handle((ok, e) -> null).join();
        return n;
    }
}
