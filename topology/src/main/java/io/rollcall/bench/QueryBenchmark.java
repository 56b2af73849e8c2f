package io.rollcall.bench;

import io.rollcall.app.Offsets;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.load.LoadGenerator;
import io.rollcall.load.Workload;
import io.rollcall.query.Lookup;
import io.rollcall.schema.SeriesId;
import io.rollcall.topology.StoreNames;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * HTTP query latency at a fixed request rate, with two instances of rollcall in this JVM:
 * reads of series the asked instance owns (local) and of series the other instance owns
 * (forwarded), first alone, then while events are ingested at a given rate. Latency is
 * measured from each request's scheduled send time (open loop, so a stall counts against
 * every request it delays: no coordinated omission), into HdrHistogram.
 */
public final class QueryBenchmark {

    /** Parameters of the run. */
    public record Settings(String bootstrapServers, int series, int rate, Duration warmup, Duration measure,
                           long ingestRate) {
    }

    private final Settings settings;
    private final PrintStream out;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    /** Connections the client may use at once; requests beyond wait (and their wait counts as latency). */
    private static final int MAX_IN_FLIGHT = 64;

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    public QueryBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public void run() throws Exception {
        String topic = "qbench-" + runId;
        RollcallConfig base = RollcallConfig.of(Map.of(
                "bootstrap.servers", settings.bootstrapServers(),
                "rollcall.application.id", "rollcall-qbench-" + runId,
                "rollcall.topic.events", topic,
                "rollcall.topic.aggregates", topic + "-aggregates",
                "rollcall.topic.dead-letter", topic + "-dlq",
                "rollcall.http.port", "0",
                "rollcall.http.advertised-host", "127.0.0.1",
                "num.stream.threads", "1"));
        try (Admin admin = Admin.create(base.kafkaProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
        }
        Thread.sleep(1_000);
        long preload = settings.series() * 5L;
        try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(base.kafkaProperties())) {
            LoadGenerator generator = new LoadGenerator(producer,
                    new LoadGenerator.Settings(topic, 0, preload, settings.series(), 3), Clock.systemUTC());
            generator.run();
            generator.awaitAcks(Duration.ofMinutes(1));
        }
        try (RollcallApp a = start(base, "a"); RollcallApp b = start(base, "b"); Admin admin = Admin.create(base.kafkaProperties())) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (Offsets.committed(admin, base.applicationId(), topic) < preload
                    || a.streams().metadataForAllStreamsClients().size() < 2
                    || a.streams().state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING
                    || b.streams().state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("instances did not catch up within 3 minutes");
                }
                Thread.sleep(200);
            }
            List<String> local = new ArrayList<>();
            List<String> remote = new ArrayList<>();
            HostInfo self = new HostInfo("127.0.0.1", a.httpPort());
            for (Workload.Series s : new Workload(settings.series(), 3).series()) {
                SeriesId id = SeriesId.of(s.id());
                KeyQueryMetadata owner = a.streams().queryMetadataForKey(StoreNames.ALL_TIME,
                        id.toBytes(), Serdes.ByteArray().serializer());
                RollcallApp holder = owner.activeHost().equals(self) ? a : b;
                if (holder.aggregates().get(id) instanceof Lookup.Found) {
                    // Only series that received events: the benchmark measures hits, not 404s.
                    (holder == a ? local : remote).add(id.toString());
                }
            }
            String target = "http://127.0.0.1:" + a.httpPort() + "/api/v1/metrics/";
            out.printf("query bench: 2 instances in this JVM with the broker; %,d series (%,d owned by the asked "
                            + "instance, %,d by the other); %,d requests/s; warm-up %s, measured %s per scenario%n",
                    settings.series(), local.size(), remote.size(), settings.rate(), settings.warmup(), settings.measure());
            out.printf("%-34s %9s %9s %9s %9s %11s %7s%n", "scenario", "p50 ms", "p99 ms", "p99.9 ms", "max ms",
                    "achieved/s", "errors");
            // Both kinds once, unreported, so neither pays for the JIT warming up the shared paths.
            load(target, local, settings.warmup(), null);
            load(target, remote, settings.warmup(), null);
            scenario("local hits", target, local);
            scenario("forwarded hits", target, remote);
            // Once more in the other order: the first measured scenario tends to pay for
            // whatever the instances still do after catching up (compactions, probing rebalances).
            scenario("forwarded hits (again)", target, remote);
            scenario("local hits (again)", target, local);
            try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(base.kafkaProperties())) {
                LoadGenerator ingest = new LoadGenerator(producer, new LoadGenerator.Settings(topic,
                        settings.ingestRate(), 0, settings.series(), 5), Clock.systemUTC());
                Thread ingester = new Thread(ingest, "bench-ingest");
                ingester.setDaemon(true);
                ingester.start();
                long sentBefore = ingest.sent();
                long t0 = System.nanoTime();
                scenario("local hits, ingesting", target, local);
                scenario("forwarded hits, ingesting", target, remote);
                double achieved = (ingest.sent() - sentBefore) / ((System.nanoTime() - t0) / 1e9);
                ingest.stop();
                ingester.join(10_000);
                out.printf("ingestion during the last two scenarios: %,.0f events/s (asked for %,d)%n", achieved,
                        settings.ingestRate());
            }
        }
    }

    private RollcallApp start(RollcallConfig base, String name) throws Exception {
        return RollcallApp.start(base.with(Map.of("rollcall.state.dir",
                Files.createTempDirectory("rollcall-qbench-" + name).toString())));
    }

    private void scenario(String name, String target, List<String> ids) throws InterruptedException {
        if (ids.isEmpty()) {
            out.printf("%-34s no series for this scenario%n", name);
            return;
        }
        load(target, ids, settings.warmup(), null);
        Histogram histogram = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
        AtomicLong errors = new AtomicLong();
        long started = System.nanoTime();
        long sent = load(target, ids, settings.measure(), histogram, errors);
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("%-34s %9.3f %9.3f %9.3f %9.3f %,11.0f %7d%n", name,
                histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(99) / 1e6,
                histogram.getValueAtPercentile(99.9) / 1e6, histogram.getMaxValue() / 1e6,
                histogram.getTotalCount() / seconds, errors.get());
        if (sent != histogram.getTotalCount() + errors.get()) {
            out.printf("  (%d requests unanswered)%n", sent - histogram.getTotalCount() - errors.get());
        }
    }

    private long load(String target, List<String> ids, Duration duration, Histogram histogram) throws InterruptedException {
        return load(target, ids, duration, histogram, new AtomicLong());
    }

    private long load(String target, List<String> ids, Duration duration, Histogram histogram, AtomicLong errors)
            throws InterruptedException {
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
            long scheduled = due;
            HttpRequest request = HttpRequest.newBuilder(URI.create(target + id)).timeout(Duration.ofSeconds(10)).GET().build();
            inFlight.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                permits.release();
                if (error != null || response.statusCode() != 200) {
                    errors.incrementAndGet();
                } else if (histogram != null) {
                    histogram.recordValue(Math.max(0, System.nanoTime() - scheduled));
                }
            }));
            if (inFlight.size() > 10_000) {
                inFlight.removeIf(CompletableFuture::isDone);
            }
        }
        CompletableFuture.allOf(inFlight.toArray(new CompletableFuture<?>[0])).handle((ok, e) -> null).join();
        return n;
    }
}
