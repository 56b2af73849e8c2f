package io.rollcall.query;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.schema.SeriesId;
import io.rollcall.topology.SingleWriter;
import io.rollcall.topology.StoreNames;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;

/** Interactive queries of the all-time store of this instance (IQv2). */
public final class LocalAggregates {

    private final KafkaStreams streams;
    private final int partitions;

    /** @param partitions partition count of the events topic, which is also the stores' */
    public LocalAggregates(KafkaStreams streams, int partitions) {
        this.streams = streams;
        this.partitions = partitions;
    }

    public Lookup get(SeriesId id) {
        byte[] key = id.toBytes();
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return new Lookup.NotReady("application is " + streams.state());
        }
        // The store partition of a series is its single-writer partition; computing it
        // directly works without application.server (queryMetadataForKey needs it).
        int partition = SingleWriter.partitionFor(key, partitions);
        // IQv2 answers null for partitions that do not own the key, so ask the owner only.
        StateQueryRequest<Aggregate> request = StateQueryRequest.inStore(StoreNames.ALL_TIME)
                .withQuery(KeyQuery.<byte[], Aggregate>withKey(key))
                .withPartitions(Set.of(partition));
        StateQueryResult<Aggregate> result = streams.query(request);
        QueryResult<Aggregate> answer = result.getPartitionResults().get(partition);
        if (answer == null) {
            return new Lookup.NotReady("partition " + partition + " of series " + id + " is not hosted here");
        }
        if (answer.isFailure()) {
            return new Lookup.NotReady(answer.getFailureReason() + ": " + answer.getFailureMessage());
        }
        Aggregate aggregate = answer.getResult();
        return aggregate == null ? new Lookup.NotFound(partition) : new Lookup.Found(aggregate, partition);
    }
}
