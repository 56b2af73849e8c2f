package io.rollcall.app;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * What a rebalance left this instance and the group with, in one line. Kafka's own assignor logs
 * a warning per task whose standby copy cannot be placed, at every rebalance.
 */
record Assignments(int active, int standby, int instances, int standbyReplicas) {

    static Assignments of(KafkaStreams streams, int standbyReplicas) {
        int active = 0;
        int standby = 0;
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            active += thread.activeTasks().size();
            standby += thread.standbyTasks().size();
        }
        return new Assignments(active, standby, streams.metadataForAllStreamsClients().size(), standbyReplicas);
    }

    /** Fewer instances than the standby copies need: some tasks have fewer copies than asked. */
    boolean standbysMissing() {
        return instances <= standbyReplicas;
    }

    String describe() {
        return String.format("this instance runs %d active and %d standby tasks; %d instance%s in the group", active,
                standby, instances, instances == 1 ? "" : "s");
    }

    String missing() {
        return String.format("num.standby.replicas=%d needs at least %d instances: some tasks have no standby copy, "
                + "so reads of an instance that stops wait for a restore", standbyReplicas, standbyReplicas + 1);
    }
}
