package io.rollcall.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The console log of a {@code rollcall serve} instance (the default layout: time, level, thread, logger, message). */
final class ServeLog {

    private ServeLog() {
    }

    static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(Path log) {
        return read(log).lines().toList();
    }

    static boolean isError(String line) {
        return line.matches("\\S+ ERROR .*");
    }

    /** A line of a stack trace: a frame or a cause. */
    static boolean isStackTrace(String line) {
        return line.startsWith("\tat ") || line.startsWith("Caused by: ");
    }
}
