package io.rollcall.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as operators write them: {@code 500ms}, {@code 30s}, {@code 1m}, {@code 2h}, {@code 7d} or ISO-8601 {@code PT1M}. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    public static Duration parse(String setting, String text) {
        String value = text.strip();
        Matcher m = SHORT.matcher(value);
        try {
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            return Duration.parse(value);
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new ConfigException(setting + ": '" + text
                    + "' is not a duration; write e.g. 500ms, 30s, 1m, 2h, 7d or PT1M");
        }
    }
}
