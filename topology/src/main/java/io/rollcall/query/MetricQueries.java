package io.rollcall.query;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.SeriesState;
import io.rollcall.metrics.PipelineMetrics;
import io.rollcall.schema.SeriesId;
import io.rollcall.topology.StoreNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.NavigableMap;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Reads of one series, routed to the instance that owns it: answered from a local store
 * when this instance is the active owner; forwarded to the owner otherwise; and, unless the
 * caller asks for fresh data, answered from a standby replica (here or elsewhere) when the
 * active one cannot answer.
 */
public final class MetricQueries {

    private static final Serializer<byte[]> KEY = Serdes.ByteArray().serializer();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final Forwarder forwarder;
    private final long windowSizeMs;
    private final PipelineMetrics metrics;
    private final Owners owners;
    private final Semaphore localReads = new Semaphore(Runtime.getRuntime().availableProcessors(), true);

    /**
     * @param partitions partitions of the events topic, and so of the all-time store
     * @param metrics    counts the reads this instance answers from a standby or restoring replica
     */
    public MetricQueries(KafkaStreams streams, int partitions, HostInfo self, Forwarder forwarder,
                         java.time.Duration windowSize, PipelineMetrics metrics) {
        this.streams = streams;
        this.owners = new Owners(partitions, this::allTimeOwner, System::currentTimeMillis);
        this.metrics = metrics;
        this.self = self;
        this.forwarder = forwarder;
        this.windowSizeMs = windowSize.toMillis();
    }

    public static String name(HostInfo host) {
        return host.host() + ":" + host.port();
    }

    public String self() {
        return name(self);
    }

    /** The all-time aggregate of a series. {@code path} is this request's path and query, for forwarding. */
    public Answer<AggregateView> aggregate(SeriesId id, ReadOptions options, String path) {
        return route(StoreNames.ALL_TIME, id.toBytes(), KEY, options, path,
                (partition, standby) -> localAggregate(id, partition, standby));
    }

    /** The windows of a series whose start lies in [from, to]. */
    public Answer<WindowsView> windows(SeriesId id, Instant from, Instant to, ReadOptions options, String path) {
        return route(StoreNames.ALL_TIME, id.toBytes(), KEY, options, path,
                (partition, standby) -> localWindows(id, from, to, partition, standby));
    }

    /**
     * The all-time aggregate from this instance's own active store, for in-process callers
     * (the demo, tests); HTTP reads go through {@link #aggregate}, which also routes.
     */
    public Answer<Aggregate> local(SeriesId id) {
        Optional<KeyQueryMetadata> owner = owner(StoreNames.ALL_TIME, id.toBytes(), KEY);
        return owner.isEmpty() ? notReady() : readAllTime(id, owner.get().partition(), false);
    }

    /** Call on every state change of the application: who holds which partition may have changed. */
    public void stateChanged() {
        owners.changed();
    }

    private <K> Optional<KeyQueryMetadata> owner(String store, K key, Serializer<K> serializer) {
        if (store.equals(StoreNames.ALL_TIME)) {
            return owners.of(owners.partition(serializer.serialize(null, key)));
        }
        return known(() -> streams.queryMetadataForKey(store, key, serializer));
    }

    /** Streams' answer for the all-time store's {@code partition}: a partitioner that names it, for any key. */
    private Optional<KeyQueryMetadata> allTimeOwner(int partition) {
        StreamPartitioner<Integer, Object> itself = (topic, key, value, count) -> Optional.of(Set.of(key));
        return known(() -> streams.queryMetadataForKey(StoreNames.ALL_TIME, partition, itself));
    }

    private static Optional<KeyQueryMetadata> known(Supplier<KeyQueryMetadata> ask) {
        try {
            KeyQueryMetadata owner = ask.get();
            boolean known = owner != null && !KeyQueryMetadata.NOT_AVAILABLE.equals(owner) && owner.activeHost() != null
                    && !HostInfo.unavailable().equals(owner.activeHost());
            return known ? Optional.of(owner) : Optional.empty();
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    private static <T> Answer<T> notReady() {
        return new Answer.NotReady<>("no owner known for this key yet (starting or rebalancing)");
    }

    /**
     * Routes a read of {@code key} in {@code store}: {@code local} answers from this instance's
     * replica of a partition (active, or standby when its second argument is true).
     */
    <K, T> Answer<T> route(String store, K key, Serializer<K> serializer, ReadOptions options, String path,
                           BiFunction<Integer, Boolean, Answer<T>> local) {
        Answer<T> answer = answer(store, key, serializer, options, path, local);
        // Counted by the instance whose replica answered: a forwarded stale read once, by its answerer.
        Optional<Served> served = answer instanceof Answer.Local<T> found ? Optional.of(found.served())
                : answer instanceof Answer.NotFound<T> absent ? Optional.of(absent.served()) : Optional.empty();
        served.filter(Served::standby).ifPresent(stale -> metrics.staleRead(stale.lagRecords()));
        return answer;
    }

    private <K, T> Answer<T> answer(String store, K key, Serializer<K> serializer, ReadOptions options, String path,
                                    BiFunction<Integer, Boolean, Answer<T>> local) {
        Optional<KeyQueryMetadata> known = owner(store, key, serializer);
        if (known.isEmpty()) {
            return notReady();
        }
        KeyQueryMetadata owner = known.get();
        int partition = owner.partition();
        if (options.forwarded()) {
            // Sent here by another instance: answer from our own stores or not at all. A restoring
            // store may answer stale only where it is the active one: elsewhere a stale read would
            // come from a standby the caller did not ask for.
            if (options.standby()) {
                return local.apply(partition, true);
            }
            return owner.activeHost().equals(self) ? activeOrRestoring(partition, options, local)
                    : local.apply(partition, false);
        }
        String activeTrouble;
        if (owner.activeHost().equals(self)) {
            Answer<T> answer = activeOrRestoring(partition, options, local);
            if (!(answer instanceof Answer.NotReady<T> notReady) || options.fresh()) {
                return answer;
            }
            activeTrouble = "the active replica here: " + notReady.reason();
        } else {
            activeTrouble = "the active replica on " + name(owner.activeHost()) + " could not answer";
            Optional<Answer<T>> forwarded = forward(owner.activeHost(), path, options.fresh());
            if (forwarded.isPresent()) {
                return forwarded.get();
            }
            if (options.fresh()) {
                return new Answer.NotReady<>("owner " + name(owner.activeHost()) + " of partition " + partition
                        + " is unavailable and fresh=true rules out standbys");
            }
        }
        String standbyTrouble = owner.standbyHosts().isEmpty() ? "no standby replica is known" : "";
        for (HostInfo standby : owner.standbyHosts()) {
            if (standby.equals(self)) {
                Answer<T> answer = local.apply(partition, true);
                if (!(answer instanceof Answer.NotReady<T> notReady)) {
                    return answer;
                }
                standbyTrouble = "the standby here: " + notReady.reason();
            } else {
                Optional<Answer<T>> forwarded = forward(standby, withStandby(path), false);
                if (forwarded.isPresent()) {
                    return forwarded.get();
                }
            }
        }
        return new Answer.NotReady<>("partition " + partition + " has no queryable active or standby replica now ("
                + activeTrouble + (standbyTrouble.isEmpty() ? "" : "; " + standbyTrouble) + ")");
    }

    /**
     * The local active replica's answer; while it is restoring (after a failover it is usually
     * the standby that was just promoted, waiting for the changelog to settle), the same store
     * answers as a stale read with its lag, unless the caller asked for fresh data.
     */
    static <T> Answer<T> activeOrRestoring(int partition, ReadOptions options,
                                                   BiFunction<Integer, Boolean, Answer<T>> local) {
        Answer<T> answer = local.apply(partition, false);
        if (!(answer instanceof Answer.NotReady<T> notReady) || options.fresh()) {
            return answer;
        }
        Answer<T> stale = local.apply(partition, true);
        return stale instanceof Answer.NotReady<T> alsoNotReady
                ? new Answer.NotReady<>(notReady.reason() + "; as a stale read: " + alsoNotReady.reason())
                : stale;
    }

    /** The owner's answer, unless it could not be reached or (when standbys may help) was itself not ready. */
    private <T> Optional<Answer<T>> forward(HostInfo host, String path, boolean acceptNotReady) {
        Optional<Forwarder.Reply> reply = forwarder.get(host, path);
        if (reply.isEmpty() || (reply.get().status() == 503 && !acceptNotReady)) {
            return Optional.empty();
        }
        return Optional.of(new Answer.Forwarded<>(reply.get().status(), reply.get().body(), name(host)));
    }

    private static String withStandby(String path) {
        return path + (path.contains("?") ? "&" : "?") + "standby=true";
    }

    /**
     * {@code read} of a local store, with at most as many other threads as the JVM has processors.
     * Kafka Streams looks up a local store under its task manager's lock, which the stream thread
     * takes on every iteration, and reads RocksDB under the store's own lock: with many request
     * threads, those locks convoyed, and under a CPU limit their spinning took the CPU the stream
     * thread needed (JFR, BENCHMARKS.md). The others wait parked. Only store reads run gated:
     * nothing in them waits on the network.
     */
    private <R> R gated(Supplier<R> read) {
        localReads.acquireUninterruptibly();
        try {
            return read.get();
        } finally {
            localReads.release();
        }
    }

    /** One read of the all-time store of a local partition: found, absent, or not queryable here. */
    private Answer<SeriesState> readState(SeriesId id, int partition, boolean standby) {
        try {
            ValueAndTimestamp<SeriesState> value = gated(() -> allTimeStore(partition, standby).get(id.toBytes()));
            Served served = served(StoreNames.ALL_TIME, partition, standby);
            return value == null ? absent(served, partition) : new Answer.Local<>(value.value(), served);
        } catch (InvalidStateStoreException e) {
            return Answer.NotReady.notQueryable(partition, e);
        }
    }

    private Answer<Aggregate> readAllTime(SeriesId id, int partition, boolean standby) {
        Answer<SeriesState> read = readState(id, partition, standby);
        return read instanceof Answer.Local<SeriesState> found
                ? new Answer.Local<>(found.value().allTime(), found.served()) : retype(read);
    }

    private Answer<AggregateView> localAggregate(SeriesId id, int partition, boolean standby) {
        Answer<Aggregate> read = readAllTime(id, partition, standby);
        if (read instanceof Answer.Local<Aggregate> found) {
            return new Answer.Local<>(AggregateView.of(found.value(), null, null, found.served()), found.served());
        }
        return retype(read);
    }

    /** The window store's windows in [from, to], with the series' newest window (held by its state) in its place. */
    private Answer<WindowsView> localWindows(SeriesId id, Instant from, Instant to, int partition, boolean standby) {
        Answer<SeriesState> series = readState(id, partition, standby);
        if (!(series instanceof Answer.Local<SeriesState> known)) {
            return retype(series);
        }
        Served served = known.served();
        try {
            NavigableMap<Long, Aggregate> byStart = gated(() -> SeriesWindows.between(streams.store(localPartition(
                    StoreNames.WINDOWED, QueryableStoreTypes.<byte[], Aggregate>timestampedWindowStore(), partition,
                    standby)), id, known.value(), from, to));
            List<AggregateView> windows = new ArrayList<>();
            byStart.forEach((start, aggregate) -> windows.add(AggregateView.of(aggregate, start,
                    start + windowSizeMs, null)));
            return new Answer.Local<>(new WindowsView(id.toString(), from.toString(), to.toString(), windows,
                    served.instance(), served.standby(), served.lagRecords()), served);
        } catch (InvalidStateStoreException e) {
            return Answer.NotReady.notQueryable(partition, e);
        }
    }

    /** NotFound and NotReady carry no value, so they can stand for an answer of any type. */
    static <T> Answer<T> retype(Answer<?> answer) {
        if (answer instanceof Answer.NotFound<?> notFound) {
            return new Answer.NotFound<>(notFound.served());
        }
        if (answer instanceof Answer.NotReady<?> notReady) {
            return new Answer.NotReady<>(notReady.reason());
        }
        throw new IllegalArgumentException("not a value-less answer: " + answer);
    }

    /**
     * A missing key is proof of absence only in an active store or a caught-up standby; a
     * standby still behind (e.g. one just created and restoring) may simply not have it yet.
     */
    private static <T> Answer<T> absent(Served served, int partition) {
        if (served.standby() && served.lagRecords() != 0) {
            return new Answer.NotReady<>("standby of partition " + partition + " is " + served.lagRecords()
                    + " records behind and cannot tell whether the series exists");
        }
        return new Answer.NotFound<>(served);
    }

    ReadOnlyKeyValueStore<byte[], ValueAndTimestamp<SeriesState>> allTimeStore(int partition, boolean stale) {
        return streams.store(localPartition(StoreNames.ALL_TIME,
                QueryableStoreTypes.<byte[], SeriesState>timestampedKeyValueStore(), partition, stale));
    }

    /** A read of this instance's replica of one partition of {@code store}: the active one, or any if {@code stale}. */
    static <T> StoreQueryParameters<T> localPartition(String store, QueryableStoreType<T> type, int partition,
                                                      boolean stale) {
        var params = StoreQueryParameters.fromNameAndType(store, type).withPartition(partition);
        return stale ? params.enableStaleStores() : params;
    }

    Served served(String store, int partition, boolean standby) {
        if (!standby) {
            return Served.active(self());
        }
        return new Served(self(), true, standbyLag(store, partition));
    }

    /**
     * Changelog records a local standby is behind. Kafka Streams computes lags with a call to
     * the brokers, so during a failover (when every read of the lost partitions comes here)
     * the figures are shared for {@link #LAG_REFRESH_MS} instead of fetched per request.
     */
    private long standbyLag(String store, int partition) {
        LagSnapshot snapshot = lags;
        long now = System.nanoTime();
        if (snapshot == null || now - snapshot.takenNanos() > TimeUnit.MILLISECONDS.toNanos(LAG_REFRESH_MS)) {
            try {
                Map<String, Map<Integer, LagInfo>> current = streams.allLocalStorePartitionLags();
                snapshot = new LagSnapshot(Map.copyOf(current), now);
                lags = snapshot;
            } catch (RuntimeException e) {
                return -1;
            }
        }
        LagInfo lag = snapshot.byStore().getOrDefault(store, Map.of()).get(partition);
        return lag == null ? -1 : lag.offsetLag();
    }

    private record LagSnapshot(Map<String, Map<Integer, LagInfo>> byStore, long takenNanos) {
    }

    private static final long LAG_REFRESH_MS = 1_000;
    private volatile LagSnapshot lags;

    KafkaStreams streams() {
        return streams;
    }

    HostInfo selfHost() {
        return self;
    }

    /** The local result of a forwarded read, or empty when the host cannot be reached or is not ready. */
    Optional<Forwarder.Reply> forwardRaw(HostInfo host, String path) {
        return forwarder.get(host, path).filter(r -> r.status() != 503);
    }
}
