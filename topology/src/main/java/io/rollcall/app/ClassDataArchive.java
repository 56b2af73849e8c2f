package io.rollcall.app;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the class data archive the launcher asked for ({@code -Drollcall.cds.dump=FILE}, with
 * {@code -XX:+RecordDynamicDumpInfo}): once, {@link #DELAY} after the instance was first ready,
 * so that it holds the classes of starting, restoring and processing. The launcher checks the
 * file at the next start and from then on starts this build with it, also after a crash.
 * Writing it pauses the JVM briefly (every thread, at a safepoint).
 */
final class ClassDataArchive {

    /** The system property the launcher sets to the file to write. */
    static final String DUMP_PROPERTY = "rollcall.cds.dump";
    /** How long after the first ready: processing has loaded its classes by then. */
    static final Duration DELAY = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchive.class);

    private ClassDataArchive() {
    }

    /** The file to write, when the launcher asked for one. */
    static Optional<Path> requested() {
        return Optional.ofNullable(System.getProperty(DUMP_PROPERTY)).filter(s -> !s.isBlank()).map(Path::of);
    }

    /** Writes the archive to {@code file} on a daemon thread of its own, {@link #DELAY} from now. */
    static void writeLater(Path file) {
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(DELAY.toMillis());
                long start = System.nanoTime();
                ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmCds",
                        new Object[] {new String[] {"dynamic_dump", file.toString()}},
                        new String[] {String[].class.getName()});
                LOG.info("wrote the class data archive {} in {} ms: the next start of this build uses it",
                        file, (System.nanoTime() - start) / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("could not write the class data archive {} ({}); starts stay as they are", file,
                        e.toString());
            }
        }, "class-data-archive");
        writer.setDaemon(true);
        writer.start();
    }
}
