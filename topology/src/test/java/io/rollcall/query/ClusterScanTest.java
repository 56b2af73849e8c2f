package io.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.SeriesState;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.internals.StreamsMetadataImpl;
import org.junit.jupiter.api.Test;

/**
 * The cluster-wide scan over stub instances: each has its replicas as sorted maps and answers
 * the others' internal scan requests with its own {@link ClusterScan#local}, as the route does.
 */
class ClusterScanTest {

    private static final String TOPIC = "events";
    private static final int PARTITIONS = 3;
    private static final ObjectMapper JSON = Json.mapper();
    private static final HostInfo A = new HostInfo("10.0.0.1", 8080);
    private static final HostInfo B = new HostInfo("10.0.0.2", 8080);
    /** 2^63: negative as a signed long, so it sorts first if the order were signed. */
    private static final long HIGH = Long.MIN_VALUE;

    private final Map<HostInfo, Instance> instances = new LinkedHashMap<>();
    /** What every instance knows of the placement; null: not known (starting up). */
    private List<StreamsMetadata> placement;
    private final Instance a = instance(A);
    private final Instance b = instance(B);

    private Instance instance(HostInfo host) {
        Instance instance = new Instance(host);
        instances.put(host, instance);
        return instance;
    }

    /** A owns partition 0, B owns 1 and 2; {@code standbys} are A's standby partitions. */
    private void place(Integer... standbys) {
        placement = List.of(metadata(A, Set.of(0), Set.of(standbys)), metadata(B, Set.of(1, 2), Set.of()));
    }

    private static StreamsMetadata metadata(HostInfo host, Set<Integer> active, Set<Integer> standby) {
        return new StreamsMetadataImpl(host, Set.of(), partitions(TOPIC, active), Set.of(), partitions(TOPIC, standby));
    }

    private static Set<TopicPartition> partitions(String topic, Set<Integer> numbers) {
        return numbers.stream().map(n -> new TopicPartition(topic, n)).collect(Collectors.toSet());
    }

    private static Aggregate aggregate(long id) {
        return Aggregate.of(MetricEvent.newBuilder().setId(id).setName("temperature.celsius")
                .setTimestamp(Instant.parse("2026-11-26T10:00:00Z")).setType(MetricType.GAUGE).setValue(21.5)
                .setStatus(null).setLabels(Map.of()).build());
    }

    private static List<String> ids(Answer<ScanPage> answer) {
        return page(answer).items().stream().map(AggregateView::id).toList();
    }

    private static ScanPage page(Answer<ScanPage> answer) {
        assertThat(answer).isInstanceOf(Answer.Local.class);
        return ((Answer.Local<ScanPage>) answer).value();
    }

    private Answer<ScanPage> page(SeriesId after, int limit) {
        return a.scan.page(SeriesId.MIN, SeriesId.MAX, after, limit, ReadOptions.DEFAULT);
    }

    @Test
    void aPageHasEveryOwnersIdsInUnsignedOrder() {
        place();
        a.active(0, 1, HIGH);
        b.active(1, 5);
        b.active(2, 3);

        ScanPage page = page(page(null, 10));

        assertThat(page.items()).extracting(AggregateView::id).containsExactly("1", "3", "5", "9223372036854775808");
        assertThat(page.nextCursor()).isNull();
        assertThat(page.servedBy()).isEqualTo("10.0.0.1:8080");
        assertThat(page.standbyParts()).isNull();
    }

    @Test
    void aFullPageEndsWithACursorThatResumesAfterItsLastId() {
        place();
        a.active(0, 1, 3, 5);
        b.active(1, 2);
        b.active(2, 4);

        ScanPage first = page(page(null, 2));
        ScanPage second = page(page(Cursor.parse(first.nextCursor()), 2));
        ScanPage last = page(page(Cursor.parse(second.nextCursor()), 2));

        assertThat(first.items()).extracting(AggregateView::id).containsExactly("1", "2");
        assertThat(second.items()).extracting(AggregateView::id).containsExactly("3", "4");
        assertThat(last.items()).extracting(AggregateView::id).containsExactly("5");
        assertThat(last.nextCursor()).isNull();
    }

    @Test
    void aPageKeepsToTheRequestedRange() {
        place();
        a.active(0, 1, 3, 5);
        b.active(1, 2, 6);
        b.active(2);

        Answer<ScanPage> answer = a.scan.page(SeriesId.of(2), SeriesId.of(5), null, 10, ReadOptions.DEFAULT);

        assertThat(ids(answer)).containsExactly("2", "3", "5");
    }

    @Test
    void aCursorAtTheLastPossibleIdGivesTheEmptyLastPage() {
        ScanPage page = page(page(SeriesId.MAX, 10));

        assertThat(page.items()).isEmpty();
        assertThat(page.nextCursor()).isNull();
        assertThat(b.asked).isEmpty();
    }

    @Test
    void aCursorBeyondTheRangeGivesTheEmptyLastPage() {
        Answer<ScanPage> answer = a.scan.page(SeriesId.MIN, SeriesId.of(2), SeriesId.of(3), 10, ReadOptions.DEFAULT);

        assertThat(ids(answer)).isEmpty();
        assertThat(b.asked).isEmpty();
    }

    @Test
    void eachOtherInstanceIsAskedOnceForAllItsPartitions() {
        place();
        a.active(0);
        b.active(1);
        b.active(2);

        page(null, 10);

        assertThat(b.asked).containsExactly("/internal/v1/scan?partitions=1,2&from=0&to=18446744073709551615&limit=10");
    }

    @Test
    void thePartitionsOfAnInstanceThatIsDownAreReadFromAStandbyAndNamed() {
        place(1, 2);
        a.active(0, 1);
        a.standby(1, 2);
        a.standby(2, 3);
        b.down = true;

        ScanPage page = page(page(null, 10));

        assertThat(page.items()).extracting(AggregateView::id).containsExactly("1", "2", "3");
        assertThat(page.standbyParts()).containsExactly(1, 2);
    }

    @Test
    void freshRulesOutStandbys() {
        place(1, 2);
        a.active(0);
        a.standby(1, 2);
        b.down = true;

        Answer<ScanPage> answer = a.scan.page(SeriesId.MIN, SeriesId.MAX, null, 10, new ReadOptions(true, false, false));

        assertThat(answer).isEqualTo(new Answer.NotReady<ScanPage>(
                "owner 10.0.0.2:8080 is unavailable and fresh=true rules out standbys"));
    }

    @Test
    void aPartitionWithoutAnyQueryableReplicaMakesThePageNotReady() {
        place(2);
        a.active(0);
        a.standby(2, 3);
        b.down = true;

        assertThat(page(null, 10)).isEqualTo(new Answer.NotReady<ScanPage>("partition 1 has no queryable replica now"));
    }

    @Test
    void anUnknownPlacementMakesThePageNotReady() {
        assertThat(page(null, 10)).isEqualTo(new Answer.NotReady<ScanPage>("partition placement unknown (rebalancing)"));
    }

    @Test
    void aPlacementMissingAPartitionMakesThePageNotReady() {
        placement = List.of(metadata(A, Set.of(0), Set.of()), metadata(B, Set.of(1), Set.of()));

        assertThat(page(null, 10)).isEqualTo(new Answer.NotReady<ScanPage>("partition placement unknown (rebalancing)"));
    }

    @Test
    void aLocalPartTakesUpToTheLimitFromEachPartitionAndSaysWhetherMoreRemain() {
        a.active(0, 1, 2, 3);
        a.active(1, 4);

        ClusterScan.Part part = a.scan.local(List.of(0, 1), SeriesId.MIN, SeriesId.MAX, 2, false);

        assertThat(part.items()).extracting(AggregateView::id).containsExactly("1", "2", "4");
        assertThat(part.full()).isTrue();
    }

    @Test
    void aLocalPartThatHoldsEverythingIsNotFull() {
        a.active(0, 1, 2);

        assertThat(a.scan.local(List.of(0), SeriesId.MIN, SeriesId.MAX, 2, false).full()).isFalse();
    }

    @Test
    void aLocalPartRefusesAPartitionTheTopicDoesNotHave() {
        assertThatThrownBy(() -> a.scan.local(List.of(3), SeriesId.MIN, SeriesId.MAX, 10, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partition must be within [0, 3), got 3");
    }

    @Test
    void instancesAreListedByNameWithTheirPartitionsOfTheEventsTopic() {
        placement = List.of(
                new StreamsMetadataImpl(B, Set.of(), partitions(TOPIC, Set.of(2, 1)), Set.of(),
                        partitions("rollcall-rollout-samples-repartition", Set.of(0))),
                new StreamsMetadataImpl(A, Set.of(), partitions(TOPIC, Set.of(0)), Set.of(),
                        partitions(TOPIC, Set.of(1))));

        assertThat(a.scan.instances()).containsExactly(
                new InstanceView("10.0.0.1:8080", true, List.of(0), List.of(1)),
                new InstanceView("10.0.0.2:8080", false, List.of(1, 2), List.of()));
    }

    /** One instance: its replicas, and the answers it gives the others; {@link #down} makes it unreachable. */
    private final class Instance implements Cluster {
        final HostInfo self;
        final Map<Integer, NavigableMap<Bytes, SeriesState>> active = new HashMap<>();
        final Map<Integer, NavigableMap<Bytes, SeriesState>> standby = new HashMap<>();
        final List<String> asked = new ArrayList<>();
        final ClusterScan scan;
        boolean down;

        Instance(HostInfo self) {
            this.self = self;
            this.scan = new ClusterScan(this, TOPIC, PARTITIONS, JSON);
        }

        void active(int partition, long... ids) {
            add(active, partition, ids);
        }

        void standby(int partition, long... ids) {
            add(standby, partition, ids);
        }

        private static void add(Map<Integer, NavigableMap<Bytes, SeriesState>> replicas, int partition, long... ids) {
            NavigableMap<Bytes, SeriesState> replica = replicas.computeIfAbsent(partition, p -> new TreeMap<>());
            Arrays.stream(ids).forEach(id -> replica.put(Bytes.wrap(SeriesId.of(id).toBytes()),
                    SeriesState.of(aggregate(id))));
        }

        @Override
        public HostInfo self() {
            return self;
        }

        @Override
        public Collection<StreamsMetadata> members() {
            if (placement == null) {
                throw new IllegalStateException("not running");
            }
            return placement;
        }

        /** A stale read may use any local replica, as {@code enableStaleStores} does. */
        @Override
        public ReadOnlyKeyValueStore<byte[], ValueAndTimestamp<SeriesState>> allTime(int partition, boolean stale) {
            NavigableMap<Bytes, SeriesState> replica = active.get(partition);
            if (replica == null && stale) {
                replica = standby.get(partition);
            }
            if (replica == null) {
                throw new InvalidStateStoreException("partition " + partition + " is not here");
            }
            return new MapStore(replica);
        }

        /** The other instance's internal scan route, minus HTTP; not ready (503) is no answer. */
        @Override
        public Optional<Forwarder.Reply> ask(HostInfo host, String pathAndQuery) {
            Instance other = instances.get(host);
            other.asked.add(pathAndQuery);
            if (other.down) {
                return Optional.empty();
            }
            Map<String, String> query = Arrays.stream(pathAndQuery.substring(pathAndQuery.indexOf('?') + 1).split("&"))
                    .map(pair -> pair.split("=", 2))
                    .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
            List<Integer> parts = Arrays.stream(query.get("partitions").split(",")).map(Integer::valueOf).toList();
            try {
                ClusterScan.Part part = other.scan.local(parts, SeriesId.parse(query.get("from")),
                        SeriesId.parse(query.get("to")), Integer.parseInt(query.get("limit")),
                        Boolean.parseBoolean(query.get("standby")));
                return Optional.of(new Forwarder.Reply(200, JSON.writeValueAsString(part)));
            } catch (InvalidStateStoreException e) {
                return Optional.empty();
            } catch (JsonProcessingException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** A read-only store over a sorted map; keys compare as unsigned bytes, as RocksDB's do. */
    private record MapStore(NavigableMap<Bytes, SeriesState> map)
            implements ReadOnlyKeyValueStore<byte[], ValueAndTimestamp<SeriesState>> {

        @Override
        public ValueAndTimestamp<SeriesState> get(byte[] key) {
            SeriesState value = map.get(Bytes.wrap(key));
            return value == null ? null : ValueAndTimestamp.make(value, 0);
        }

        @Override
        public KeyValueIterator<byte[], ValueAndTimestamp<SeriesState>> range(byte[] from, byte[] to) {
            return iterator(map.subMap(Bytes.wrap(from), true, Bytes.wrap(to), true));
        }

        @Override
        public KeyValueIterator<byte[], ValueAndTimestamp<SeriesState>> all() {
            return iterator(map);
        }

        @Override
        public long approximateNumEntries() {
            return map.size();
        }

        private static KeyValueIterator<byte[], ValueAndTimestamp<SeriesState>> iterator(Map<Bytes, SeriesState> entries) {
            Iterator<Map.Entry<Bytes, SeriesState>> it = new ArrayList<>(entries.entrySet()).iterator();
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public KeyValue<byte[], ValueAndTimestamp<SeriesState>> next() {
                    Map.Entry<Bytes, SeriesState> next = it.next();
                    return KeyValue.pair(next.getKey().get(), ValueAndTimestamp.make(next.getValue(), 0));
                }

                @Override
                public byte[] peekNextKey() {
                    throw new UnsupportedOperationException("the scan does not peek");
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
