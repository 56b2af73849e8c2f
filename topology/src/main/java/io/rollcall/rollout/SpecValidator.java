package io.rollcall.rollout;

import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.Slo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Checks a {@link RolloutSpec} field by field; the HTTP API answers 400 naming the first bad field. */
public final class SpecValidator {

    /** One problem: the offending field (JSON path) and what is wrong with it. */
    public record Problem(String field, String message) {

        /** A problem of field {@code name} of the object at JSON path {@code path} ("" for the top). */
        static Problem at(String path, String name, String message) {
            return new Problem(path.isEmpty() ? name : path + "." + name, message);
        }

        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    static final Duration MAX_WINDOW = Duration.ofHours(1);
    static final int MAX_NAME = 256;
    static final int MAX_SLOS = 16;

    private SpecValidator() {
    }

    public static List<Problem> problems(RolloutSpec spec) {
        List<Problem> problems = new ArrayList<>();
        text(problems, "rolloutId", spec.getRolloutId());
        text(problems, "service", spec.getService());
        text(problems, "baselineRevision", spec.getBaselineRevision());
        text(problems, "canaryRevision", spec.getCanaryRevision());
        text(problems, "metric", spec.getMetric());
        if (spec.getCanaryRevision() != null && spec.getCanaryRevision().equals(spec.getBaselineRevision())) {
            problems.add(new Problem("canaryRevision", "must differ from baselineRevision"));
        }
        List<Slo> slos = spec.getSlos();
        if (slos == null || slos.isEmpty()) {
            problems.add(new Problem("slos", "at least one SLO is required"));
        } else if (slos.size() > MAX_SLOS) {
            problems.add(new Problem("slos", "at most " + MAX_SLOS + " SLOs, got " + slos.size()));
        } else {
            for (int i = 0; i < slos.size(); i++) {
                problems.addAll(SloRule.problems(slos.get(i), "slos[" + i + "]"));
            }
        }
        long window = spec.getAnalysisWindow();
        if (window < MIN_WINDOW.toMillis() || window > MAX_WINDOW.toMillis()) {
            problems.add(new Problem("analysisWindow", "must be from 1 s to 1 h (in ms), got " + window));
        }
        if (spec.getMinSamples() < 1) {
            problems.add(new Problem("minSamples", "must be at least 1, got " + spec.getMinSamples()));
        }
        if (spec.getFailureLimit() < 1) {
            problems.add(new Problem("failureLimit", "must be at least 1, got " + spec.getFailureLimit()));
        }
        if (spec.getSuccessWindows() < 1) {
            problems.add(new Problem("successWindows", "must be at least 1, got " + spec.getSuccessWindows()));
        }
        double confidence = spec.getConfidence();
        if (!(confidence > 0.5 && confidence < 0.9999)) {
            problems.add(new Problem("confidence", "must be in (0.5, 0.9999), got " + confidence));
        }
        if (spec.getStartedAt() == null || spec.getStartedAt().toEpochMilli() <= 0) {
            problems.add(new Problem("startedAt", "must be a time after 1970"));
        }
        return problems;
    }

    private static void text(List<Problem> problems, String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(new Problem(field, "must not be empty"));
        } else if (value.length() > MAX_NAME) {
            problems.add(new Problem(field, "at most " + MAX_NAME + " characters, got " + value.length()));
        }
    }
}
