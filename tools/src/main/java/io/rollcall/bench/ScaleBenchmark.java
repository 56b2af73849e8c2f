package io.rollcall.bench;

import io.rollcall.app.Topics;
import io.rollcall.config.RollcallConfig;
import io.rollcall.load.LoadGenerator;
import io.rollcall.schema.SeriesId;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * How fast capacity moves: {@code rollcall serve} instances (each its own JVM, one stream thread)
 * under a fixed input rate above what one instance processes, while instances are added, one
 * is stopped (scale-in) and one is killed and restarted on its state. For each step: when the
 * new instance is ready and holds active partitions, when the group's lag stops growing and when
 * it is back under a bound, and what reads of the serving instances saw meanwhile.
 */
public final class ScaleBenchmark {

    /**
     * Parameters of the run.
     *
     * @param rate      events per second during the steps; 0 for {@link #OVERLOAD} × the capacity measured
     *                  while a producer shares the cores
     * @param overrides settings of every instance, on top of the benchmark's
     */
    public record Settings(String bootstrapServers, int series, int partitions, long rate,
                           Map<String, String> overrides) {
    }

    /** The input rate, as a multiple of one instance's capacity, when none is given. */
    public static final double OVERLOAD = 1.3;
    private static final int EVENTS_PER_SERIES = 5;
    private static final int READS_PER_SECOND = 200;
    private static final Duration ONE_INSTANCE = Duration.ofSeconds(30);
    private static final Duration STEP_LIMIT = Duration.ofSeconds(150);
    private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(10);

    private final Settings settings;
    private final PrintStream out;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);

    public ScaleBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public void run() throws Exception {
        long started = System.nanoTime();
        RollcallConfig config = BenchConfig.isolated(settings.bootstrapServers(), "sbench-" + runId, Map.of(
                "rollcall.http.advertised-host", "127.0.0.1",
                "num.stream.threads", "1"));
        String topic = config.eventsTopic();
        long stateEvents = (long) settings.series() * EVENTS_PER_SERIES;
        Set<Long> withState = new HashSet<>();
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            Topics.create(admin, List.of(new NewTopic(topic, settings.partitions(), (short) 1)));
        }
        LoadGenerator.preload(config.kafkaProperties(), new LoadGenerator.Settings(topic, 0, stateEvents,
                settings.series(), 3), event -> withState.add(event.getId()), Duration.ofMinutes(5));
        out.printf("scale bench: %,d series (%,d with state from %,d events), %d partitions; instances are "
                        + "rollcall serve JVMs of their own (fresh, cold JIT when they join), 1 stream thread, %s; "
                        + "settings %s; broker, producer and reader in this JVM; %d cores%n",
                settings.series(), withState.size(), stateEvents, settings.partitions(),
                System.getProperty("rollcall.instance.jvm-options", "-Xmx1g"),
                settings.overrides().isEmpty() ? "as rollcall's defaults" : settings.overrides(),
                Runtime.getRuntime().availableProcessors());
        try (Admin admin = Admin.create(config.kafkaProperties());
             LagProbe lag = LagProbe.start(admin, config.applicationId(), topic);
             Fleet fleet = new Fleet(config, settings.overrides())) {
            ServeProcess first = fleet.add("1");
            Capacity capacity = new Capacity(config, settings.series(), lag, fleet, out);
            double catchUp = capacity.awaitCommitted(stateEvents, CATCH_UP_LIMIT);
            out.printf("instance 1 committed the state's %,d events at %,.0f events/s (cold JVM)%n", stateEvents,
                    catchUp);
            double measured = capacity.underInput(capacity.measure(catchUp));
            long rate = settings.rate() > 0 ? settings.rate() : Math.round(OVERLOAD * measured);
            out.printf("input rate during the steps: %,d events/s (%s)%n", rate, settings.rate() > 0 ? "--rate"
                    : String.format("%.1f × one instance's capacity while producing", OVERLOAD));
            List<String> ids = withState.stream().map(id -> SeriesId.of(id).toString()).toList();
            List<Step> steps = steps(fleet, lag, first, ids, config, rate);
            print(steps, lag.failures());
            out.printf("(%,d s in all)%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        }
    }

    private List<Step> steps(Fleet fleet, LagProbe lag, ServeProcess first, List<String> ids, RollcallConfig config,
            long rate) throws Exception {
        List<Step> steps = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties());
             ReadProbe reader = new ReadProbe(ids, READS_PER_SECOND)) {
            LoadGenerator input = new LoadGenerator(producer, new LoadGenerator.Settings(config.eventsTopic(), rate, 0,
                    settings.series(), 7), Clock.systemUTC());
            Thread producing = new Thread(input, "bench-input");
            producing.setDaemon(true);
            producing.start();
            reader.start();
            StepMeasure measure = new StepMeasure(fleet, lag, reader, input, settings.partitions(), rate);
            measure.serve(first);
            out.printf("lag bound: %,d records (%d s of input); lag stops growing at the first sample that no "
                            + "later sample of the step exceeds by more than %,d records (1 s of input), with at "
                            + "least %d s of the step after it; a step ends when what it waits for happened and the "
                            + "lag stayed under the bound for %d s, or after %d s (the 1-instance step: after %d s); "
                            + "times polled once a second%n",
                    measure.bound(), StepMeasure.BOUND_SECONDS, measure.tolerance(), StepMeasure.QUIET.toSeconds(),
                    StepMeasure.QUIET.toSeconds(), STEP_LIMIT.toSeconds(), ONE_INSTANCE.toSeconds());
            steps.add(ended(measure.measure("1 instance", System.nanoTime(), new Awaited.Nothing(), ONE_INSTANCE), fleet));
            steps.add(join(measure, fleet, "2"));
            steps.add(join(measure, fleet, "3"));
            steps.add(scaleIn(measure, fleet));
            steps.add(killAndRestart(measure, fleet));
            input.stop();
            producing.join(10_000);
        }
        return steps;
    }

    private Step join(StepMeasure measure, Fleet fleet, String name) throws Exception {
        out.printf("starting instance %s…%n", name);
        measure.discardReads();
        long start = System.nanoTime();
        ServeProcess instance = fleet.add(name);
        return ended(measure.measure("+ instance " + name + " (scale-out)", start, new Awaited.Joining(instance),
                STEP_LIMIT), fleet);
    }

    /** Stops the newest instance cleanly, as a scale-in of a StatefulSet stops its highest ordinal. */
    private Step scaleIn(StepMeasure measure, Fleet fleet) throws Exception {
        List<ServeProcess> live = fleet.live();
        ServeProcess leaving = live.get(live.size() - 1);
        String name = fleet.name(leaving);
        out.printf("stopping instance %s (SIGTERM, %d active partitions)…%n", name,
                Fleet.activeCount(leaving, leaving));
        measure.stopServing(leaving);
        fleet.remove(leaving);
        measure.discardReads();
        long start = System.nanoTime();
        CompletableFuture<Long> exited = leaving.process().onExit().thenApply(p -> System.nanoTime());
        leaving.process().destroy();
        Step step = ended(measure.measure("- instance " + name + " (SIGTERM, scale-in)", start,
                new Awaited.Leaving(fleet.live()), STEP_LIMIT), fleet);
        if (leaving.process().waitFor(30, TimeUnit.SECONDS)) {
            out.printf("  instance %s exited %,d ms after SIGTERM with status %d%n", name,
                    TimeUnit.NANOSECONDS.toMillis(exited.join() - start), leaving.process().exitValue());
        } else {
            out.printf("  instance %s did not exit within 30 s of the step's end; killed%n", name);
            leaving.process().destroyForcibly();
        }
        return step;
    }

    /** Kills the instance with the most active partitions and starts it again on its state directory and port. */
    private Step killAndRestart(StepMeasure measure, Fleet fleet) throws Exception {
        List<ServeProcess> live = fleet.live();
        ServeProcess victim = live.stream()
                .max(Comparator.comparingInt(instance -> Fleet.activeCount(live.get(0), instance)))
                .orElseThrow();
        String name = fleet.name(victim);
        out.printf("killing instance %s (SIGKILL, %d active partitions) and restarting it on its state…%n", name,
                Fleet.activeCount(victim, victim));
        measure.stopServing(victim);
        measure.discardReads();
        long start = System.nanoTime();
        victim.process().destroyForcibly();
        ServeProcess restarted = fleet.restart(victim);
        return ended(measure.measure("SIGKILL instance " + name + ", restart", start, new Awaited.Joining(restarted),
                STEP_LIMIT), fleet);
    }

    private Step ended(Step step, Fleet fleet) {
        out.printf("  %s; partitions then: %s%n", step.ending(), fleet.assignment());
        return step;
    }

    private void print(List<Step> steps, long lagFailures) {
        out.println();
        out.print(Step.timesHeader());
        steps.forEach(step -> out.print(step.times()));
        out.println();
        out.printf("reads at %d/s of random series with state, each to a random serving instance:%n",
                READS_PER_SECOND);
        out.print(Step.readsHeader());
        steps.forEach(step -> out.print(step.readCounts()));
        List<String> problems = steps.stream().flatMap(step -> step.readProblems().stream()).toList();
        problems.forEach(out::println);
        if (steps.stream().allMatch(step -> step.reads().others() == 0)) {
            out.println("every answer was 200 or 503 with Retry-After");
        }
        if (lagFailures > 0) {
            out.printf("(%,d lag samples were not answered by the broker and are left out)%n", lagFailures);
        }
    }
}
