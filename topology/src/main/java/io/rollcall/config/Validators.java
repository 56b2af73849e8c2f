package io.rollcall.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Checks of single settings, for {@link RollcallSettings}. Each failure is a Kafka
 * {@link ConfigException} whose one-line message starts with the setting's name; each
 * {@code toString} is the valid values as the configuration reference shows them.
 */
final class Validators {

    private Validators() {
    }

    /** A value given in the declaration as the text the reference prints. */
    private record Described(String description, ConfigDef.Validator check) implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            check.ensureValid(name, value);
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** A duration setting: accepts what {@link Durations} parses. */
    record DurationValidator(boolean zeroAllowed) implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            Duration duration;
            try {
                duration = Durations.parse(name, (String) value);
            } catch (io.rollcall.config.ConfigException e) {
                throw new ConfigException(e.getMessage());
            }
            if (duration.isNegative() || !zeroAllowed && duration.isZero()) {
                throw fail(name, (zeroAllowed ? "must not be negative" : "must be positive") + ", got " + duration);
            }
        }

        @Override
        public String toString() {
            return zeroAllowed ? "0 or more" : "more than 0";
        }
    }

    static ConfigDef.Validator positiveDuration() {
        return new DurationValidator(false);
    }

    static ConfigDef.Validator notNegativeDuration() {
        return new DurationValidator(true);
    }

    static ConfigDef.Validator notEmpty() {
        return new Described("not empty", (name, value) -> {
            if (((String) value).isBlank()) {
                throw fail(name, "must not be empty");
            }
        });
    }

    static ConfigDef.Validator positiveInt() {
        return new Described("1 or more", (name, value) -> {
            if ((Integer) value <= 0) {
                throw fail(name, "must be a positive integer, got " + value);
            }
        });
    }

    static ConfigDef.Validator port() {
        return new Described("0 to 65535", (name, value) -> {
            int port = (Integer) value;
            if (port < 0 || port > 65535) {
                throw fail(name, "must be a port from 0 to 65535, got " + value);
            }
        });
    }

    /** One of {@code choices}, ignoring case. */
    static ConfigDef.Validator oneOf(String... choices) {
        List<String> valid = List.of(choices);
        String listed = String.join(", ", valid.subList(0, valid.size() - 1)) + " or " + valid.get(valid.size() - 1);
        return new Described(String.join(", ", valid.stream().map(c -> "`" + c + "`").toList()), (name, value) -> {
            if (valid.stream().noneMatch(choice -> choice.equalsIgnoreCase((String) value))) {
                throw fail(name, "must be " + listed + ", got '" + value + "'");
            }
        });
    }

    /** Comma-separated names, each one of {@code choices} (any case); empty: none. */
    static ConfigDef.Validator subsetOf(String... choices) {
        List<String> valid = List.of(choices);
        return new Described("empty, or any of " + String.join(", ", valid.stream().map(c -> "`" + c + "`").toList())
                + ", comma-separated", (name, value) -> {
            for (String item : names((String) value)) {
                if (valid.stream().noneMatch(item::equalsIgnoreCase)) {
                    throw fail(name, "'" + item + "' is not one of " + String.join(", ", valid));
                }
            }
        });
    }

    /** The names of a comma-separated list, stripped, in lower case; none for an empty one. */
    static List<String> names(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::strip).filter(item -> !item.isEmpty())
                .map(item -> item.toLowerCase(java.util.Locale.ROOT)).toList();
    }

    /** Empty, or a path this process can read (a key or trust store). */
    static ConfigDef.Validator readableFileOrEmpty() {
        return new Described("empty, or a readable file", (name, value) -> {
            String path = (String) value;
            if (!path.isEmpty() && !Files.isReadable(Path.of(path))) {
                throw fail(name, "cannot read " + Path.of(path).toAbsolutePath());
            }
        });
    }

    /** Empty, or comma-separated http(s) URLs with a host, e.g. {@code http://registry-1:8081,http://registry-2:8081}. */
    static ConfigDef.Validator urlsOrEmpty() {
        return new Described("empty, or comma-separated http(s) URLs", (name, value) -> {
            String text = ((String) value).strip();
            if (text.isEmpty()) {
                return;
            }
            for (String url : text.split(",")) {
                try {
                    java.net.URI uri = new java.net.URI(url.strip());
                    if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                            || uri.getHost() == null) {
                        throw fail(name, "'" + url.strip() + "' is not an http(s) URL with a host");
                    }
                } catch (java.net.URISyntaxException e) {
                    throw fail(name, "'" + url.strip() + "' is not a URL: " + e.getReason());
                }
            }
        });
    }

    /** Empty, or a secret long enough not to be guessed; the message never contains the secret. */
    static ConfigDef.Validator secretOrEmpty(int minLength) {
        return new Described("empty, or at least " + minLength + " characters", (name, value) -> {
            int length = ((Password) value).value().length();
            if (length > 0 && length < minLength) {
                throw fail(name, "must be at least " + minLength + " characters (a random string, e.g. "
                        + "`openssl rand -hex 24`), got " + length);
            }
        });
    }

    private static ConfigException fail(String name, String reason) {
        return new ConfigException(name + ": " + reason);
    }
}
