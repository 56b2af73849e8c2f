package io.rollcall.aggregate;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quantiles by name, one mapping for the whole application: 0.95 is "p95" and 0.999 is
 * "p99.9" in text (SLOs, verdict reasons), and "p999" as a key (the Avro aggregate's fields,
 * the HTTP API's quantiles), where a dot cannot appear.
 */
public final class Quantiles {

    /** In the order of the aggregate's fields p50, p90, p95, p99, p999. */
    private static final double[] PUBLISHED = {0.50, 0.90, 0.95, 0.99, 0.999};
    private static final List<String> PUBLISHED_KEYS = Arrays.stream(PUBLISHED).mapToObj(Quantiles::key).toList();
    private static final Pattern NAME = Pattern.compile("p(\\d+(?:\\.\\d+)?)");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Quantiles() {
    }

    /** The quantiles every aggregate publishes, in order; a copy. */
    public static double[] published() {
        return PUBLISHED.clone();
    }

    /** The keys of {@link #published()}, in the same order: "p50" … "p999". */
    public static List<String> publishedKeys() {
        return PUBLISHED_KEYS;
    }

    /** 0.95 → "p95", 0.999 → "p99.9", 0.05 → "p5". */
    public static String name(double q) {
        return "p" + BigDecimal.valueOf(q).movePointRight(2).stripTrailingZeros().toPlainString();
    }

    /**
     * The name without its dot, as a field name: 0.999 → "p999". Unique among the published
     * quantiles only (0.0999 would give "p999" too).
     */
    public static String key(double q) {
        return name(q).replace(".", "");
    }

    /**
     * A quantile from its name or key: "p5" → 0.05, "p95" → 0.95, "p99.9" and "p999" → 0.999.
     *
     * @throws IllegalArgumentException naming the text and how to write a quantile
     */
    public static double parse(String text) {
        String name = text.strip().toLowerCase(Locale.ROOT);
        int published = PUBLISHED_KEYS.indexOf(name);
        if (published >= 0) {
            return PUBLISHED[published];
        }
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a quantile; write p and a percentage, e.g. p50, "
                    + "p95 or p99.9");
        }
        BigDecimal percent = new BigDecimal(m.group(1));
        if (percent.signum() <= 0 || percent.compareTo(HUNDRED) >= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a quantile: the percentage must be above 0 and "
                    + "below 100, e.g. p50, p95 or p99.9");
        }
        return percent.movePointLeft(2).doubleValue();
    }
}
