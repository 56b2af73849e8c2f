package io.rollcall.bench;

import io.rollcall.app.Offsets;
import io.rollcall.app.Topics;
import io.rollcall.config.RollcallConfig;
import io.rollcall.load.LoadGenerator;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * How long a restart takes: one {@code rollcall serve} instance, started as the container image
 * starts it (the launcher, with its class data sharing archive), holding the state of
 * {@code series} series while events flow at a fixed rate, is stopped with SIGTERM or killed with
 * SIGKILL and started again on its state directory and address. For each restart: when it
 * answered HTTP, when it was ready, how much of that it spent restoring state (its own
 * {@code rollcall_restore_*} metrics), and when it had caught up with the input again.
 */
public final class RestartBenchmark {

    /**
     * Parameters of the run; {@code rate} events per second flow during the restarts, and
     * {@code overrides} are settings of the instance on top of the benchmark's.
     */
    public record Settings(String bootstrapServers, int series, int partitions, long rate,
                           Map<String, String> overrides) {
    }

    /** The target: ready within this much of its process start, on top of the time it spends restoring. */
    public static final Duration TARGET = Duration.ofSeconds(10);
    private static final int EVENTS_PER_SERIES = 5;
    /** Running time between restarts, so the changelogs grow a tail as they do between real restarts. */
    private static final Duration BETWEEN = Duration.ofSeconds(20);
    private static final Duration LIMIT = Duration.ofMinutes(5);

    private final Settings settings;
    private final PrintStream out;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);

    public RestartBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** One restart, in milliseconds from its process start (-1: not seen). */
    private record Row(String what, boolean archive, long live, long ready, long restoringMs, long restored,
                       long caughtUp) {
    }

    public void run() throws Exception {
        RollcallConfig config = BenchConfig.isolated(settings.bootstrapServers(), "rsbench-" + runId, Map.of(
                "rollcall.http.advertised-host", "127.0.0.1",
                "num.stream.threads", "1"));
        String topic = config.eventsTopic();
        long preloaded = (long) settings.series() * EVENTS_PER_SERIES;
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            Topics.create(admin, List.of(new NewTopic(topic, settings.partitions(), (short) 1)));
        }
        LoadGenerator.preload(config.kafkaProperties(), new LoadGenerator.Settings(topic, 0, preloaded,
                settings.series(), 3), event -> { }, Duration.ofMinutes(5));
        Path launcher = launcher();
        Path archives = Files.createTempDirectory("rollcall-cds");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> instance = new java.util.HashMap<>(settings.overrides());
        instance.put("rollcall.http.port", Integer.toString(port));
        instance.put("rollcall.state.dir", Files.createTempDirectory("rollcall-restart").toString());
        String cpus = System.getProperty(ServeProcess.CPUS_PROPERTY, "");
        out.printf("restart bench: one rollcall serve instance started by %s (1 stream thread, JVM options %s, %s), "
                        + "state of %,d series from %,d events, %d partitions, input %,d events/s during the "
                        + "restarts; settings %s; broker and producer in this JVM; %d cores%n", launcher,
                System.getProperty("rollcall.instance.jvm-options", "-Xmx1g"),
                cpus.isBlank() ? "no CPU limit" : "CPU limit " + cpus + " cores (cgroup quota)",
                settings.series(), preloaded, settings.partitions(), settings.rate(),
                settings.overrides().isEmpty() ? "as rollcall's defaults" : settings.overrides(),
                Runtime.getRuntime().availableProcessors());

        List<Row> rows = new ArrayList<>();
        try (Admin admin = Admin.create(config.kafkaProperties());
             KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties())) {
            long started = System.nanoTime();
            ServeProcess serving = ServeProcess.launch(launcher, Optional.of(archives), config, "restart", instance);
            LoadGenerator input = new LoadGenerator(producer, new LoadGenerator.Settings(topic, settings.rate(), 0,
                    settings.series(), 7), Clock.systemUTC());
            Thread producing = new Thread(input, "bench-input");
            producing.setDaemon(true);
            try {
                // It writes its archive 10 s after it is first ready; the restarts below come later.
                rows.add(measure("first start: empty state, no archive", false, serving, started, admin, config,
                        () -> preloaded));
                producing.start();
                // What each restart is: how the old process ends, and whether the archive is there.
                record Kind(String what, boolean kill, boolean archive) {
                }
                for (Kind kind : List.of(new Kind("SIGTERM, start again", false, true),
                        new Kind("SIGKILL, restart", true, true), new Kind("SIGKILL, restart", true, false),
                        new Kind("SIGKILL, restart", true, true), new Kind("SIGKILL, restart", true, false))) {
                    TimeUnit.NANOSECONDS.sleep(BETWEEN.toNanos());
                    long stopped = stop(serving, kind.kill());
                    if (!kind.kill()) {
                        out.printf("  the instance exited %,d ms after SIGTERM%n", stopped);
                    }
                    long restart = System.nanoTime();
                    serving = ServeProcess.launch(launcher, kind.archive() ? Optional.of(archives) : Optional.empty(),
                            config, "restart", instance);
                    rows.add(measure(kind.what(), kind.archive(), serving, restart, admin, config,
                            () -> preloaded + input.acked()));
                }
            } finally {
                input.stop();
                producing.join(10_000);
                serving.close();
            }
        }
        print(rows);
    }

    /** Stops the instance, returning how long the process took to exit. */
    private static long stop(ServeProcess serving, boolean kill) throws InterruptedException {
        long start = System.nanoTime();
        if (kill) {
            serving.process().destroyForcibly();
        } else {
            serving.process().destroy();
        }
        if (!serving.process().waitFor(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the instance did not exit within 2 minutes");
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private Row measure(String what, boolean archive, ServeProcess serving, long start, Admin admin,
            RollcallConfig config, LongSupplier written) throws Exception {
        long live = -1;
        long ready = -1;
        long caughtUp = -1;
        long bound = Math.max(1_000, settings.rate()); // one second of input
        while (caughtUp < 0) {
            if (System.nanoTime() - start > LIMIT.toNanos()) {
                throw new IllegalStateException(what + ": not ready and caught up within " + LIMIT.toMinutes()
                        + " minutes; the instance's log: " + serving.log());
            }
            if (!serving.process().isAlive()) {
                throw new IllegalStateException(what + ": the instance exited; its log: " + serving.log());
            }
            if (live < 0 && serving.tryGet("/health/live").map(r -> r.statusCode() == 200).orElse(false)) {
                live = since(start);
            }
            if (ready < 0 && Fleet.ready(serving)) {
                ready = since(start);
            }
            if (ready >= 0 && written.getAsLong() - Offsets.committed(admin, config.applicationId(),
                    config.eventsTopic()) <= bound) {
                caughtUp = since(start);
            }
            TimeUnit.MILLISECONDS.sleep(ready < 0 ? 50 : 250);
        }
        Restoring restoring = Fleet.restoring(serving).orElse(new Restoring(0, 0, 0));
        String startUp = Files.readAllLines(serving.log()).stream().filter(l -> l.contains("after the JVM started"))
                .findFirst().map(l -> l.substring(l.indexOf(" - ") + 3)).orElse("(no start-up line in the log)");
        Row row = new Row(what, archive, live, ready, Math.round(restoring.seconds() * 1000), restoring.restored(),
                caughtUp);
        out.printf("%s (%s): ready %,d ms, restoring %,d ms; the instance says: %s%n", what,
                archive ? "class data archive" : "no archive", ready, row.restoringMs(), startUp);
        return row;
    }

    private void print(List<Row> rows) {
        out.println();
        out.printf("times in s from the process start; target: ready within %d s plus the time spent restoring%n",
                TARGET.toSeconds());
        out.println("| restart | class data archive | HTTP up | ready | restoring (records) | ready − restoring "
                + "| target | caught up (lag ≤ 1 s of input) |");
        out.println("|---|---|---|---|---|---|---|---|");
        for (Row row : rows) {
            double beyond = (row.ready() - row.restoringMs()) / 1000.0;
            String target = row == rows.get(0) ? "(not a restart)" : beyond <= TARGET.toSeconds() ? "met" : "missed";
            out.printf("| %s | %s | %.1f | %.1f | %.1f (%,d) | %.1f | %s | %.1f |%n", row.what(),
                    row.archive() ? "yes" : "no", row.live() / 1000.0, row.ready() / 1000.0,
                    row.restoringMs() / 1000.0, row.restored(), beyond, target, row.caughtUp() / 1000.0);
        }
    }

    private static long since(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** The launcher beside the tools jar's module: {@code <checkout>/rollcall}. */
    private static Path launcher() {
        try {
            Path jar = Path.of(RestartBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path launcher = jar.toAbsolutePath().getParent().getParent().getParent().resolve("rollcall");
            if (!Files.isExecutable(launcher)) {
                throw new IllegalStateException("the restart benchmark starts instances with the launcher, expected at "
                        + launcher + "; run it from a source checkout (./rollcall bench restart)");
            }
            return launcher;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the tools jar", e);
        }
    }
}
