package io.rollcall.load;

import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A realistic, reproducible mix of metric events: several services, each with a stable and
 * a canary revision and a few pods in two regions; per pod, request and dependency latencies
 * (TIMER, log-normal, with some 4xx and 5xx), memory (GAUGE), bytes sent (COUNTER) and a
 * signed clock-skew gauge. Series ids are spread over the whole unsigned 64-bit range.
 *
 * <p>Not thread-safe: one instance per producing thread.
 */
public final class Workload {

    static final String[] SERVICES = {"checkout", "search", "payments", "catalog", "auth"};
    static final String[] REGIONS = {"eu-west-1", "us-east-1"};

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

    private final List<Series> series;
    private final int[] weighted;
    private final SplittableRandom random;

    /**
     * @param seriesCount number of distinct series ids
     * @param seed        same seed, same ids and same event sequence
     */
    public Workload(int seriesCount, long seed) {
        if (seriesCount <= 0) {
            throw new IllegalArgumentException("seriesCount must be positive, got " + seriesCount);
        }
        this.random = new SplittableRandom(seed);
        this.series = catalogue(seriesCount, seed);
        List<Integer> draw = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            for (int w = 0; w < series.get(i).template().weight; w++) {
                draw.add(i);
            }
        }
        this.weighted = draw.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<Series> catalogue(int count, long seed) {
        Template[] templates = Template.values();
        List<Series> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Template template = templates[i % templates.length];
            int pod = i / templates.length;
            String service = SERVICES[pod % SERVICES.length];
            boolean canary = (pod / SERVICES.length) % 4 == 3; // a quarter of pods run the canary
            String revision = canary ? canaryRevision(service) : stableRevision(service);
            String region = REGIONS[(pod / SERVICES.length / 4) % REGIONS.length];
            Map<String, String> labels = Map.of(
                    "service", service,
                    "revision", revision,
                    "pod", service + "-" + Integer.toHexString(pod),
                    "region", region);
            double median = 8 + 6 * (service.hashCode() & 7) + (template == Template.DB ? 2 : 0);
            out.add(new Series(seriesId(seed, i), service, revision, template, labels, median));
        }
        return List.copyOf(out);
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

    public List<Series> series() {
        return series;
    }

    /** The next event, stamped with {@code timeMs}. */
    public MetricEvent next(long timeMs) {
        Series s = series.get(weighted[random.nextInt(weighted.length)]);
        return event(s, timeMs);
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
