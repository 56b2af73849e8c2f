package io.rollcall.load;

import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.time.Instant;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * A realistic, reproducible mix of metric events: several services, each with a stable and
 * a canary revision and a few pods in two regions; per pod, request and dependency latencies
 * (TIMER, log-normal, with some 4xx and 5xx), memory (GAUGE), bytes sent (COUNTER) and a
 * signed clock-skew gauge. Series ids are spread over the whole unsigned 64-bit range. Events
 * fall on the series as a {@link Spread} says: uniformly, or skewed towards a few hot series.
 *
 * <p>Not thread-safe: one instance per producing thread.
 */
public final class Workload {

    static final String[] SERVICES = {"checkout", "search", "payments", "catalog", "auth"};
    static final String[] REGIONS = {"eu-west-1", "us-east-1"};
    private static final String[] STABLE_REVISIONS = Arrays.stream(SERVICES).map(Workload::stableRevision)
            .toArray(String[]::new);
    private static final String[] CANARY_REVISIONS = Arrays.stream(SERVICES).map(Workload::canaryRevision)
            .toArray(String[]::new);

    /** Per-pod series; three of six are TIMERs and TIMERs are drawn twice as often: a TIMER-heavy mix. */
    public enum Template {
        REQUESTS("http.server.requests", MetricType.TIMER, 3),
        CLIENT("http.client.requests", MetricType.TIMER, 2),
        DB("db.query", MetricType.TIMER, 1),
        MEMORY("jvm.memory.used", MetricType.GAUGE, 1),
        BYTES("http.server.bytes", MetricType.COUNTER, 1),
        SKEW("clock.skew.ms", MetricType.GAUGE, 1);

        final String metric;
        final MetricType type;
        final int weight;

        Template(String metric, MetricType type, int weight) {
            this.metric = metric;
            this.type = type;
            this.weight = weight;
        }
    }

    /** One series: its id and the fixed parts of its events. */
    public record Series(long id, String service, String revision, Template template, Map<String, String> labels,
                         double medianMillis) {
    }

    /** Services whose canary (revision *-r42) regresses: slower and failing more often. */
    private volatile java.util.Set<String> regressing = java.util.Set.of();

    /** Multiplier of a regressing canary's latencies, and its error rate. */
    public static final double REGRESSION_SLOWDOWN = 2.5;
    public static final double REGRESSION_ERROR_RATE = 0.06;

    private static final Template[] TEMPLATES = Template.values();

    private final int seriesCount;
    private final long seed;
    private final SplittableRandom random;
    /** Running sums of weight × series per template: a template is drawn as often as the uniform catalogue has it. */
    private final long[] cumulativeWeight;
    /** Per template, the next draw among its series: an index from 0 to that template's series count. */
    private final IntSupplier[] within;

    /** Uniform over {@code seriesCount} series; {@code seed} fixes the ids and the event sequence. */
    public Workload(int seriesCount, long seed) {
        this(seriesCount, seed, new Spread.Uniform());
    }

    /**
     * @param seriesCount number of distinct series ids
     * @param seed        same seed, same ids and same event sequence
     * @param spread      how each template's events fall on its series; the mix of templates is the same for all
     */
    public Workload(int seriesCount, long seed, Spread spread) {
        if (seriesCount <= 0) {
            throw new IllegalArgumentException("seriesCount must be positive, got " + seriesCount);
        }
        this.seriesCount = seriesCount;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.cumulativeWeight = new long[TEMPLATES.length];
        this.within = new IntSupplier[TEMPLATES.length];
        long total = 0;
        for (int t = 0; t < TEMPLATES.length; t++) {
            int n = seriesOf(t);
            total += (long) TEMPLATES[t].weight * n;
            cumulativeWeight[t] = total;
            // One stream of randomness for the whole workload: same seed, same events.
            within[t] = n == 0 ? () -> 0 : spread.draw(random::nextLong, n);
        }
    }

    /** How many of the catalogue's series use template {@code t}: those whose index is {@code t} modulo the templates. */
    private int seriesOf(int t) {
        return seriesCount / TEMPLATES.length + (t < seriesCount % TEMPLATES.length ? 1 : 0);
    }

    /**
     * Series {@code index} (from 0), built from the index alone: the catalogue holds no series, so
     * a million of them cost no memory.
     */
    public Series series(int index) {
        Objects.checkIndex(index, seriesCount);
        Template template = TEMPLATES[index % TEMPLATES.length];
        int pod = index / TEMPLATES.length;
        int service = pod % SERVICES.length;
        boolean canary = (pod / SERVICES.length) % 4 == 3; // a quarter of pods run the canary
        String revision = canary ? CANARY_REVISIONS[service] : STABLE_REVISIONS[service];
        String region = REGIONS[(pod / SERVICES.length / 4) % REGIONS.length];
        Map<String, String> labels = Map.of(
                "service", SERVICES[service],
                "revision", revision,
                "pod", SERVICES[service] + "-" + Integer.toHexString(pod),
                "region", region);
        double median = 8 + 6 * (SERVICES[service].hashCode() & 7) + (template == Template.DB ? 2 : 0);
        return new Series(seriesId(seed, index), SERVICES[service], revision, template, labels, median);
    }

    /** SplitMix64 finalizer: distinct inputs give distinct, uniformly spread 64-bit ids. */
    static long seriesId(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 1;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** From now on, {@code service}'s canary is {@link #REGRESSION_SLOWDOWN}× slower and fails more. */
    public void regress(String service) {
        java.util.Set<String> next = new java.util.HashSet<>(regressing);
        next.add(service);
        regressing = java.util.Set.copyOf(next);
    }

    /** The canary revision of {@code service}. */
    public static String canaryRevision(String service) {
        return service + "-r42";
    }

    /** The stable (baseline) revision of {@code service}. */
    public static String stableRevision(String service) {
        return service + "-r41";
    }

    /** Every series, in index order; each built when it is read. */
    public List<Series> series() {
        return new SeriesView();
    }

    private final class SeriesView extends AbstractList<Series> implements RandomAccess {
        @Override
        public Series get(int index) {
            return series(index);
        }

        @Override
        public int size() {
            return seriesCount;
        }
    }

    /** The next event, stamped with {@code timeMs}: a template by its weight, then one of its series by the spread. */
    public MetricEvent next(long timeMs) {
        long roll = random.nextLong(cumulativeWeight[TEMPLATES.length - 1]);
        int t = 0;
        while (roll >= cumulativeWeight[t]) {
            t++;
        }
        return event(series(t + TEMPLATES.length * within[t].getAsInt()), timeMs);
    }

    MetricEvent event(Series s, long timeMs) {
        MetricEvent.Builder event = MetricEvent.newBuilder()
                .setId(s.id())
                .setName(s.template().metric)
                .setTimestamp(Instant.ofEpochMilli(timeMs))
                .setType(s.template().type)
                .setLabels(s.labels())
                .setStatus(null);
        switch (s.template()) {
            case REQUESTS, CLIENT, DB -> {
                boolean regressed = !regressing.isEmpty() && regressing.contains(s.service())
                        && s.revision().equals(canaryRevision(s.service()));
                event.setValue(latency(s.medianMillis() * (regressed ? REGRESSION_SLOWDOWN : 1)))
                        .setStatus(regressed && random.nextDouble() < REGRESSION_ERROR_RATE ? 503 : status());
            }
            case MEMORY -> event.setValue(quarter(512e6 + random.nextGaussian() * 32e6));
            case BYTES -> event.setValue(quarter(200 + random.nextInt(20_000)));
            case SKEW -> event.setValue(quarter(random.nextGaussian() * 3));
            default -> throw new IllegalStateException("unhandled template " + s.template());
        }
        return event.build();
    }

    /** Log-normal: most requests near the median, a long tail of slow ones. */
    private double latency(double median) {
        return quarter(median * Math.exp(0.6 * random.nextGaussian()));
    }

    private int status() {
        int roll = random.nextInt(1000);
        if (roll < 8) {
            return roll < 5 ? 500 : 503;
        }
        return roll < 30 ? 404 : 200;
    }

    /**
     * Rounds to a multiple of 0.25: such doubles add exactly in any order (well below
     * 2^53 / 4), so tests can compare sums with a ground truth computed independently.
     */
    private static double quarter(double value) {
        return Math.round(value * 4) / 4.0;
    }
}
