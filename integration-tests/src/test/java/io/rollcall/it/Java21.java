package io.rollcall.it;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Java runtime of version {@value #MINIMUM} or newer, for programs the tests start that need
 * a newer Java than the one the tests run on (17). Looked for, in order: the home named by
 * {@value #HOME_VARIABLE}, {@code JAVA_HOME}, the runtime running the tests, and the newest JDK
 * under {@code /usr/lib/jvm}, by the {@code JAVA_VERSION} of each home's {@code release} file.
 */
final class Java21 {

    static final int MINIMUM = 21;
    static final String HOME_VARIABLE = "ROLLCALL_TEST_JAVA21_HOME";

    private static final Path JVMS = Path.of("/usr/lib/jvm");
    private static final Pattern MAJOR = Pattern.compile("^\"?(?:1\\.)?(\\d+)");

    private Java21() {
    }

    /** The {@code java} executable of the first runtime found, or why none was. */
    static Path executable() {
        return find(System.getenv(HOME_VARIABLE), System.getenv("JAVA_HOME"),
                Path.of(System.getProperty("java.home")), JVMS);
    }

    /**
     * The first of: {@code named} (an error if it is not Java {@value #MINIMUM}+), {@code javaHome},
     * {@code running}, the newest home under {@code jvms}; null or blank strings are unset.
     */
    static Path find(String named, String javaHome, Path running, Path jvms) {
        if (named != null && !named.isBlank()) {
            // Named on purpose: a wrong one is an error, not a reason to look elsewhere.
            Path home = Path.of(named);
            if (!isAtLeastMinimum(home)) {
                throw new IllegalStateException(HOME_VARIABLE + "=" + named + " is not a Java " + MINIMUM
                        + "+ home (no bin/java, or its release file says JAVA_VERSION < " + MINIMUM + ")");
            }
            return java(home);
        }
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(javaHome).filter(h -> !h.isBlank()).map(Path::of).ifPresent(candidates::add);
        candidates.add(running);
        candidates.addAll(newestFirstUnder(jvms));
        return candidates.stream().filter(Java21::isAtLeastMinimum).findFirst().map(Java21::java)
                .orElseThrow(() -> new IllegalStateException("No Java " + MINIMUM + "+ runtime found: set "
                        + HOME_VARIABLE + " to one; looked at " + HOME_VARIABLE + " (unset), JAVA_HOME, java.home"
                        + " and " + jvms + "/* by JAVA_VERSION in their release files: " + candidates));
    }

    private static List<Path> newestFirstUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> homes = Files.list(dir)) {
            return homes.filter(home -> major(home).isPresent())
                    .sorted(Comparator.comparingInt((Path home) -> major(home).getAsInt()).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static boolean isAtLeastMinimum(Path home) {
        return Files.isExecutable(java(home)) && major(home).orElse(0) >= MINIMUM;
    }

    private static Path java(Path home) {
        return home.resolve("bin").resolve("java");
    }

    /** The feature release in {@code home/release}, e.g. 25 for {@code JAVA_VERSION="25.0.3"}, 8 for "1.8.0". */
    private static OptionalInt major(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return OptionalInt.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(release)) {
            properties.load(reader);
        } catch (IOException e) {
            return OptionalInt.empty();
        }
        Matcher matcher = MAJOR.matcher(properties.getProperty("JAVA_VERSION", ""));
        return matcher.find() ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.empty();
    }
}
