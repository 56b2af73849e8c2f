package io.rollcall.query;

import io.rollcall.aggregate.SeriesState;
import java.util.Collection;
import java.util.Optional;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The cluster as the scan sees it: its instances with their partitions, this instance's
 * stores, and the answers of the others. The real one is built on {@link MetricQueries};
 * the scan sees only this, so its tests need no cluster.
 */
interface Cluster {

    /** This instance, as it advertises itself. */
    HostInfo self();

    /**
     * Every instance with its active and standby partitions.
     *
     * @throws IllegalStateException when the placement is not known (starting up)
     */
    Collection<StreamsMetadata> members();

    /** This instance's replica of a partition of the all-time store (a standby or restoring one if {@code standby}). */
    ReadOnlyKeyValueStore<byte[], ValueAndTimestamp<SeriesState>> allTime(int partition, boolean standby);

    /** Another instance's answer; empty when it cannot be reached or is not ready (503). */
    Optional<Forwarder.Reply> ask(HostInfo host, String pathAndQuery);

    static Cluster of(MetricQueries queries) {
        return new Cluster() {
            @Override
            public HostInfo self() {
                return queries.selfHost();
            }

            @Override
            public Collection<StreamsMetadata> members() {
                return queries.streams().metadataForAllStreamsClients();
            }

            @Override
            public ReadOnlyKeyValueStore<byte[], ValueAndTimestamp<SeriesState>> allTime(int partition,
                                                                                      boolean standby) {
                return queries.allTimeStore(partition, standby);
            }

            @Override
            public Optional<Forwarder.Reply> ask(HostInfo host, String pathAndQuery) {
                return queries.forwardRaw(host, pathAndQuery);
            }
        };
    }
}
