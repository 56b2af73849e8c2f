package io.rollcall.app;

import java.util.Locale;

/**
 * Where the time until an instance was first ready went, in one line: the JVM and rollcall's
 * own start (topics checked, HTTP server, topology) until Kafka Streams started, then joining
 * the group and restoring state. Times are seconds since the JVM started.
 *
 * @param streamsStarted  when Kafka Streams was started
 * @param ready           when it was first RUNNING
 * @param restoring       seconds of that during which state was restored
 * @param restoredRecords changelog records restored meanwhile
 */
record StartUp(double streamsStarted, double ready, double restoring, long restoredRecords) {

    String describe() {
        return String.format(Locale.ROOT, "ready %.1f s after the JVM started: Kafka Streams started at %.1f s, then "
                        + "%.1f s joining the group and %.1f s restoring %,d changelog records", ready, streamsStarted,
                Math.max(0, ready - streamsStarted - restoring), restoring, restoredRecords);
    }
}
