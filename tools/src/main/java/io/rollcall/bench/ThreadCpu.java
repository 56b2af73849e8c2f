package io.rollcall.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * This JVM's CPU time by kind of thread: its Java threads by name, and the rest of the process
 * (the garbage collector's, the JIT compilers' and RocksDB's own threads, and threads that ended)
 * as the process's CPU time minus theirs.
 *
 * @param javaNanos    CPU time of live Java threads, by kind
 * @param processNanos CPU time of the whole process
 */
record ThreadCpu(Map<String, Long> javaNanos, long processNanos) {

    static final String STREAM = "stream threads";
    static final String PRODUCER_NETWORK = "producers' network threads";
    static final String BROKER = "broker request and network threads";
    static final String OTHER_JAVA = "other Java threads";
    static final String NOT_JAVA = "not Java threads (collector, JIT, RocksDB) and ended threads";

    /** The CPU time used so far. */
    static ThreadCpu now() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] cpu = threads.getThreadCpuTime(ids);
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        Map<String, Long> byKind = new LinkedHashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && cpu[i] >= 0) {
                byKind.merge(kind(infos[i].getThreadName()), cpu[i], Long::sum);
            }
        }
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new ThreadCpu(byKind, process);
    }

    static String kind(String threadName) {
        if (threadName.startsWith("kafka-producer-network-thread")) {
            return PRODUCER_NETWORK;
        }
        if (threadName.contains("-StreamThread-")) {
            return STREAM;
        }
        if (threadName.startsWith("data-plane-kafka")) {
            return BROKER;
        }
        return OTHER_JAVA;
    }

    /**
     * The CPU time used between {@code start} and this, by kind, {@link #NOT_JAVA} included. A Java
     * thread started in between counts from zero; one that ended counts under {@link #NOT_JAVA}.
     */
    Map<String, Long> since(ThreadCpu start) {
        Map<String, Long> used = new LinkedHashMap<>();
        for (String kind : new String[] {STREAM, BROKER, PRODUCER_NETWORK, OTHER_JAVA}) {
            used.put(kind, javaNanos.getOrDefault(kind, 0L) - start.javaNanos.getOrDefault(kind, 0L));
        }
        long java = used.values().stream().mapToLong(Long::longValue).sum();
        used.put(NOT_JAVA, processNanos - start.processNanos - java);
        return used;
    }

    /** "10.52 s: stream threads 7.50, …" for {@link #since}'s figures. */
    static String describe(Map<String, Long> used) {
        long total = used.values().stream().mapToLong(Long::longValue).sum();
        return String.format("%.2f s: ", total / 1e9) + used.entrySet().stream()
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / 1e9))
                .collect(Collectors.joining(", "));
    }
}
