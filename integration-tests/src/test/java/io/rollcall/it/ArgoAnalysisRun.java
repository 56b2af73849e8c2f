package io.rollcall.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An Argo Rollouts AnalysisRun of resolved web metrics, reconciled on a scheduled clock as the
 * analysis controller does (analysis/analysis.go): when each metric measures
 * ({@code generateMetricTasks}), how a measurement moves its counters
 * ({@code runMeasurements}), when a metric and the run are done ({@code assessMetricStatus},
 * {@code assessMetricFailureInconclusiveOrError}, {@code assessRunStatus}). Every duration —
 * {@code initialDelay}, {@code interval} and the 10 s retry after an error — is divided by
 * {@code speedUp}, so a run of the production template takes seconds instead of minutes.
 */
final class ArgoAnalysisRun implements AutoCloseable {

    /** Argo's phases, best to worst as in {@code analysisStatusOrder} (utils/analysis/helpers.go). */
    enum Phase {
        SUCCESSFUL, RUNNING, PENDING, INCONCLUSIVE, ERROR, FAILED;

        boolean completed() {
            return this != RUNNING && this != PENDING;
        }
    }

    record Measurement(Phase phase, String value, String message) {
        static Measurement error(String message) {
            return new Measurement(Phase.ERROR, "", message);
        }
    }

    /** A metric's counters and measurements, as {@code MetricResult}. */
    static final class MetricResult {
        final List<Measurement> measurements = new ArrayList<>();
        Phase phase = Phase.PENDING;
        int count;
        int failed;
        int inconclusive;
        int consecutiveError;
        int consecutiveSuccess;
        int maxConsecutiveError;
        long lastFinishedNanos;

        synchronized List<Measurement> measurements() {
            return List.copyOf(measurements);
        }

        synchronized Phase phase() {
            return phase;
        }

        synchronized int maxConsecutiveError() {
            return maxConsecutiveError;
        }
    }

    /** Argo's {@code DefaultErrorRetryInterval}. */
    private static final Duration ERROR_RETRY = Duration.ofSeconds(10);
    /** Argo's {@code DefaultConsecutiveErrorLimit} (utils/defaults/defaults.go). */
    private static final int CONSECUTIVE_ERROR_LIMIT = 4;
    private static final Duration TICK = Duration.ofMillis(20);

    private final Map<String, JsonNode> metrics;
    private final Map<String, MetricResult> results = new LinkedHashMap<>();
    private final int speedUp;
    private final long startedNanos = System.nanoTime();
    private final CompletableFuture<Phase> outcome = new CompletableFuture<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "argo-analysis-run");
        thread.setDaemon(true);
        return thread;
    });

    private ArgoAnalysisRun(Map<String, JsonNode> metrics, int speedUp) {
        this.metrics = metrics;
        this.speedUp = speedUp;
        metrics.keySet().forEach(name -> results.put(name, new MetricResult()));
        clock.scheduleWithFixedDelay(this::reconcile, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts a run of the named metrics of {@code template}, with {@code args} resolved. */
    static ArgoAnalysisRun start(ArgoTemplate template, Map<String, String> args, List<String> metricNames, int speedUp) {
        Map<String, JsonNode> resolved = new LinkedHashMap<>();
        metricNames.forEach(name -> resolved.put(name, template.metric(name, args)));
        return new ArgoAnalysisRun(resolved, speedUp);
    }

    MetricResult metric(String name) {
        return results.get(name);
    }

    /** The run's phase once it completed. */
    Phase await(Duration timeout) throws Exception {
        return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reconcile() {
        try {
            boolean terminating = results.values().stream().map(MetricResult::phase)
                    .anyMatch(p -> p == Phase.FAILED || p == Phase.ERROR || p == Phase.INCONCLUSIVE);
            metrics.forEach((name, metric) -> {
                MetricResult result = results.get(name);
                if (!terminating && !result.phase().completed() && due(metric, result)) {
                    record(result, ArgoWebMetric.measure(metric));
                }
            });
            Phase run = assessRun();
            if (run.completed()) {
                outcome.complete(run);
                clock.shutdown();
            }
        } catch (RuntimeException e) {
            outcome.completeExceptionally(e);
            clock.shutdown();
        }
    }

    /** {@code generateMetricTasks}: the first measurement after initialDelay, then after the interval (or error retry). */
    private boolean due(JsonNode metric, MetricResult result) {
        long now = System.nanoTime();
        if (result.measurements.isEmpty()) {
            return now - startedNanos >= scaled(duration(metric.path("initialDelay").asText("0s"))).toNanos();
        }
        Integer count = effectiveCount(metric);
        if (count != null && result.count >= count) {
            return false;
        }
        Measurement last = result.measurements.get(result.measurements.size() - 1);
        Duration interval = last.phase() == Phase.ERROR || !metric.has("interval") ? ERROR_RETRY
                : duration(metric.path("interval").asText());
        return now - result.lastFinishedNanos >= scaled(interval).toNanos();
    }

    /** {@code runMeasurements}: an Error does not count towards {@code count}. */
    private static void record(MetricResult result, Measurement measurement) {
        synchronized (result) {
            result.measurements.add(measurement);
            result.lastFinishedNanos = System.nanoTime();
            switch (measurement.phase()) {
                case SUCCESSFUL -> {
                    result.count++;
                    result.consecutiveError = 0;
                    result.consecutiveSuccess++;
                }
                case FAILED, INCONCLUSIVE -> {
                    result.count++;
                    result.consecutiveError = 0;
                    result.consecutiveSuccess = 0;
                    if (measurement.phase() == Phase.FAILED) {
                        result.failed++;
                    } else {
                        result.inconclusive++;
                    }
                }
                default -> {
                    result.consecutiveError++;
                    result.consecutiveSuccess = 0;
                    result.maxConsecutiveError = Math.max(result.maxConsecutiveError, result.consecutiveError);
                }
            }
        }
    }

    /** {@code assessRunStatus}: running until every metric completed (or one ended badly), then the worst. */
    private Phase assessRun() {
        boolean terminating = false;
        boolean everythingCompleted = true;
        Phase worst = null;
        for (Map.Entry<String, MetricResult> entry : results.entrySet()) {
            MetricResult result = entry.getValue();
            synchronized (result) {
                result.phase = assessMetric(metrics.get(entry.getKey()), result);
                if (!result.phase.completed()) {
                    everythingCompleted = false;
                } else {
                    worst = worst == null || result.phase.ordinal() > worst.ordinal() ? result.phase : worst;
                    terminating |= result.phase == Phase.FAILED || result.phase == Phase.ERROR
                            || result.phase == Phase.INCONCLUSIVE;
                }
            }
        }
        return worst != null && (terminating || everythingCompleted) ? worst : Phase.RUNNING;
    }

    /** {@code assessMetricStatus} with {@code assessMetricFailureInconclusiveOrError}. */
    private static Phase assessMetric(JsonNode metric, MetricResult result) {
        if (result.phase.completed()) {
            return result.phase;
        }
        if (result.measurements.isEmpty()) {
            return Phase.PENDING;
        }
        int failureLimit = metric.path("failureLimit").asInt(0);
        Phase bad = null;
        if (failureLimit >= 0 && result.failed > failureLimit) {
            bad = Phase.FAILED;
        }
        if (result.inconclusive > metric.path("inconclusiveLimit").asInt(0)) {
            bad = Phase.INCONCLUSIVE;
        }
        if (result.consecutiveError > metric.path("consecutiveErrorLimit").asInt(CONSECUTIVE_ERROR_LIMIT)) {
            bad = Phase.ERROR;
        }
        if (bad != null) {
            return bad;
        }
        int successLimit = metric.path("consecutiveSuccessLimit").asInt(0);
        if (successLimit > 0 && result.consecutiveSuccess >= successLimit) {
            return Phase.SUCCESSFUL;
        }
        Integer count = effectiveCount(metric);
        if (count != null && result.count >= count) {
            boolean failureApplicable = !metric.has("failureLimit") || failureLimit >= 0;
            if (successLimit > 0) {
                return failureApplicable ? Phase.INCONCLUSIVE : Phase.FAILED;
            }
            return Phase.SUCCESSFUL;
        }
        return Phase.RUNNING;
    }

    /** {@code Metric.EffectiveCount}: no count and no interval means one measurement. */
    private static Integer effectiveCount(JsonNode metric) {
        int count = metric.path("count").asInt(0);
        if (count == 0) {
            return metric.has("interval") ? null : 1;
        }
        return count;
    }

    private Duration scaled(Duration duration) {
        return duration.dividedBy(speedUp);
    }

    /** Argo's durations as the templates write them: a number and s or m. */
    private static Duration duration(String text) {
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            default -> throw new IllegalArgumentException("unsupported duration " + text);
        };
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
