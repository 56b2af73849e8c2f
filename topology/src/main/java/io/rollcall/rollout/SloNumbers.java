package io.rollcall.rollout;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The numbers of SLOs: as descriptions and verdict reasons show them, as the text form writes
 * them, and as the spec carries them (null when absent).
 */
final class SloNumbers {

    private SloNumbers() {
    }

    /** 412.3 → "412 ms", 12.34 → "12.3 ms", 1.234 → "1.23 ms". */
    static String milliseconds(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%,.0f ms", ms)
                : ms >= 10 ? String.format(Locale.ROOT, "%.1f ms", ms)
                : String.format(Locale.ROOT, "%.2f ms", ms);
    }

    /** A fraction as a percentage: 0.2 → "20 %", 0.015 → "1.5 %", 0.0012 → "0.12 %". */
    static String percent(double fraction) {
        double p = fraction * 100;
        String digits = p >= 10 || p == Math.rint(p) ? String.format(Locale.ROOT, "%.0f", p)
                : p >= 1 ? String.format(Locale.ROOT, "%.1f", p) : String.format(Locale.ROOT, "%.2f", p);
        return digits + " %";
    }

    /** 0.95 → "95 %", 0.9995 → "99.95 %": every digit, since 99.95 % is not 100 %. */
    static String confidence(double confidence) {
        return new BigDecimal(Double.toString(confidence * 100)).setScale(4, RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString() + " %";
    }

    /** 1 → "1 request", 1840 → "1,840 requests". */
    static String requests(long n) {
        return String.format(Locale.ROOT, "%,d request%s", n, n == 1 ? "" : "s");
    }

    /** Every digit and no more, for the text form: 300.0 → "300", 1.5 → "1.5". */
    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** A fraction as the digits of its percentage, for the text form: 0.2 → "20", 0.015 → "1.5". */
    static String plainPercent(double fraction) {
        return BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString();
    }

    /** The text form's allowance: 0.2 → "+20%", none → "". */
    static String allowanceText(OptionalDouble maxRelativeIncrease) {
        return maxRelativeIncrease.isPresent() ? "+" + plainPercent(maxRelativeIncrease.getAsDouble()) + "%" : "";
    }

    /** Text-form digits as a fraction: "20" → 0.2, exactly as written (no 0.07 → 0.07000000000000001). */
    static double fractionOfPercent(String digits) {
        return new BigDecimal(digits).movePointLeft(2).doubleValue();
    }

    /** A spec's optional field. */
    static OptionalDouble optional(Double value) {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** An optional bound as the spec carries it. */
    static Double nullable(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }
}
