package io.rollcall.bench;

import java.util.OptionalDouble;

/** Samples read from an instance's {@code /metrics}: the Prometheus text exposition format. */
final class Exposition {

    private Exposition() {
    }

    /** Whether {@code line} is a sample of {@code metric}, with or without labels. */
    private static boolean isSample(String line, String metric) {
        return line.startsWith(metric + "{") || line.startsWith(metric + " ");
    }

    /** The value of a sample, {@code name{labels} value [timestamp]} or {@code name value [timestamp]}. */
    private static double value(String sample) {
        int labels = sample.lastIndexOf('}');
        String[] fields = sample.substring(labels >= 0 ? labels + 1 : sample.indexOf(' ')).trim().split("\\s+");
        return Double.parseDouble(fields[0]);
    }

    /** The sum of {@code metric}'s samples (over their labels); empty when the exposition has none. */
    static OptionalDouble sum(String exposition, String metric) {
        double sum = 0;
        boolean seen = false;
        for (String line : exposition.split("\n")) {
            if (isSample(line, metric)) {
                sum += value(line);
                seen = true;
            }
        }
        return seen ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }
}
