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
        return Unit.MILLISECONDS.format(ms);
    }

    /** A fraction as a percentage: 0.2 → "20 %", 0.015 → "1.5 %", 0.0012 → "0.12 %". */
    static String percent(double fraction) {
        return Unit.PERCENT.format(fraction);
    }

    /**
     * How a kind of number reads in reasons: its unit, and its decimals by magnitude — as
     * many as a value of that size needs to be read, and no more.
     */
    enum Unit {
        /** 412.3 → "412 ms", 12.34 → "12.3 ms", 1.234 → "1.23 ms". */
        MILLISECONDS(1, " ms"),
        /** A fraction as a percentage: 0.2 → "20 %", 0.015 → "1.5 %", 0.0012 → "0.12 %". */
        PERCENT(100, " %"),
        /** A ratio of two values: 1.3166 → "1.32×". */
        RATIO(1, "×"),
        /** A plain number, e.g. a likelihood ratio: 48.2 → "48", 3.14 → "3.1", 2.5e9 → "2.5e+09". */
        NUMBER(1, "");

        private static final int MAX_DECIMALS = 6;
        private static final double SCIENTIFIC = 1e6;

        private final double scale;
        private final String suffix;

        Unit(double scale, String suffix) {
            this.scale = scale;
            this.suffix = suffix;
        }

        /** Decimals a value of this size shows, given as it is shown (ms, per cent). */
        private int decimals(double shown) {
            double magnitude = Math.abs(shown);
            return switch (this) {
                case MILLISECONDS -> magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
                case PERCENT -> magnitude >= 10 || magnitude == Math.rint(magnitude) ? 0 : magnitude >= 1 ? 1 : 2;
                case RATIO -> 2;
                case NUMBER -> magnitude >= 10 ? 0 : magnitude >= 1 ? 1 : 2;
            };
        }

        String format(double value) {
            return format(value, decimals(value * scale));
        }

        private String format(double value, int decimals) {
            double shown = value * scale;
            if (!Double.isFinite(shown)) {
                return Double.isNaN(shown) ? "n/a" : shown > 0 ? "∞" : "-∞";
            }
            if (Math.abs(shown) >= SCIENTIFIC && this == NUMBER) {
                return String.format(Locale.ROOT, "%.1e", shown);
            }
            return String.format(Locale.ROOT, "%,." + decimals + "f", rounded(shown, decimals)) + suffix;
        }
    }

    /** A value compared with a reference (a limit), each as it reads: "1.04 %" and "1 %". */
    record Compared(String value, String reference) {
    }

    /**
     * A value and the reference it is compared with, the value with as many more decimals as it
     * takes to read differently from the reference when they differ: a lower bound of 1.04 %
     * over a 1 % threshold reads "1.04 % > 1 %", never "1.0 % > 1 %". The reference keeps its
     * own digits ("1 %", "1.10×"), and only gains those the value needed.
     */
    static Compared compared(Unit unit, double value, double reference) {
        double shown = value * unit.scale;
        double shownReference = reference * unit.scale;
        int decimals = unit.decimals(shown);
        if (Double.isFinite(shown) && Double.isFinite(shownReference) && Math.abs(shown) < Unit.SCIENTIFIC) {
            while (decimals < Unit.MAX_DECIMALS && shown != shownReference
                    && rounded(shown, decimals).compareTo(rounded(shownReference, decimals)) == 0) {
                decimals++;
            }
        }
        int referenceDecimals = Double.isFinite(shownReference)
                ? Math.max(unit.decimals(shownReference),
                        Math.min(decimals, Math.max(0, BigDecimal.valueOf(shownReference).stripTrailingZeros().scale())))
                : 0;
        return new Compared(unit.format(value, decimals), unit.format(reference, referenceDecimals));
    }

    private static BigDecimal rounded(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP);
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
