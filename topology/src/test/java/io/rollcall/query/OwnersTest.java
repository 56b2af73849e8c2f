package io.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** Owners stands in for Kafka Streams' own answer here; MetricQueries reads go to real Streams in the ITs. */
class OwnersTest {

    private static final HostInfo A = new HostInfo("a", 8080);
    private static final HostInfo B = new HostInfo("b", 8080);

    private final List<Integer> asked = new ArrayList<>();
    private HostInfo active = A;
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Owners owners = new Owners(6, partition -> {
        asked.add(partition);
        return Optional.of(new KeyQueryMetadata(active, Set.of(), partition));
    }, now::get);

    @Test
    void streamsIsAskedOncePerPartitionBetweenChanges() {
        for (int i = 0; i < 100; i++) {
            owners.of(3);
        }
        owners.of(4);

        assertThat(asked).containsExactly(3, 4);
    }

    @Test
    void aChangeOfStateMakesTheNextReadAskStreamsAgain() {
        assertThat(owners.of(2).orElseThrow().activeHost()).isEqualTo(A);
        active = B;
        owners.changed();

        assertThat(owners.of(2).orElseThrow().activeHost()).isEqualTo(B);
    }

    @Test
    void anOwnerIsAskedAgainOnceItIsOlderThanTheLongestAgeEvenWithoutAChange() {
        owners.of(1);
        active = B;
        now.addAndGet(Owners.MAX_AGE_MS);

        assertThat(owners.of(1).orElseThrow().activeHost()).isEqualTo(B);
    }

    @Test
    void noOwnerIsRememberedWhileStreamsKnowsNone() {
        List<Integer> unknown = new ArrayList<>();
        Owners starting = new Owners(6, partition -> {
            unknown.add(partition);
            return Optional.empty();
        }, now::get);

        starting.of(5);
        starting.of(5);

        assertThat(unknown).containsExactly(5, 5);
    }

    @Test
    void theKeysPartitionIsKafkasDefaultPartitionersChoice() {
        byte[] key = io.rollcall.schema.SeriesId.of(42).toBytes();
        // The producer's own default partitioner, which Streams also uses for a key query.
        int expected = org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(key, 6);

        assertThat(owners.partition(key)).isEqualTo(expected);
    }
}
