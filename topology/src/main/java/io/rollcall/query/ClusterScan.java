package io.rollcall.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.SeriesState;
import io.rollcall.schema.SeriesId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The cluster-wide scan in unsigned id order. Each store partition is sorted by id (the key
 * bytes are big-endian), so a page is the first {@code limit} ids after the cursor across
 * all partitions: every owner returns up to {@code limit} of its own, and this instance
 * merges them. Owners are asked once per host, not once per partition.
 */
public final class ClusterScan {

    /** What an owner returns to the instance assembling a page. */
    public record Part(List<AggregateView> items, boolean full) {
    }

    private static final Comparator<AggregateView> BY_ID =
            Comparator.comparing(view -> SeriesId.parse(view.id()));

    private final Cluster cluster;
    private final String eventsTopic;
    private final int partitions;
    private final ObjectMapper json;

    /** @param json reads the parts other instances return */
    public ClusterScan(MetricQueries queries, String eventsTopic, int partitions, ObjectMapper json) {
        this(Cluster.of(queries), eventsTopic, partitions, json);
    }

    ClusterScan(Cluster cluster, String eventsTopic, int partitions, ObjectMapper json) {
        this.cluster = cluster;
        this.eventsTopic = eventsTopic;
        this.partitions = partitions;
        this.json = json;
    }

    /**
     * One page of ids in [from, to] strictly after {@code after} (null: from the start).
     */
    public Answer<ScanPage> page(SeriesId from, SeriesId to, SeriesId after, int limit, ReadOptions options) {
        String self = MetricQueries.name(cluster.self());
        if (after != null && after.equals(SeriesId.MAX)) {
            return new Answer.Local<>(new ScanPage(List.of(), null, self, null), Served.active(self));
        }
        SeriesId lower = after == null ? from : max(from, SeriesId.of(after.bits() + 1));
        if (lower.compareTo(to) > 0) {
            return new Answer.Local<>(new ScanPage(List.of(), null, self, null), Served.active(self));
        }
        Map<Integer, HostInfo> active = new TreeMap<>();
        Map<Integer, List<HostInfo>> standbys = new TreeMap<>();
        if (!placement(active, standbys)) {
            return new Answer.NotReady<>("partition placement unknown (rebalancing)");
        }
        List<AggregateView> items = new ArrayList<>();
        List<Integer> fromStandby = new ArrayList<>();
        boolean full = false;
        Map<HostInfo, List<Integer>> byHost = group(active);
        for (Map.Entry<HostInfo, List<Integer>> entry : byHost.entrySet()) {
            Optional<Part> part = fetch(entry.getKey(), entry.getValue(), lower, to, limit, false);
            if (part.isPresent()) {
                items.addAll(part.get().items());
                full |= part.get().full();
                continue;
            }
            if (options.fresh()) {
                return new Answer.NotReady<>("owner " + MetricQueries.name(entry.getKey())
                        + " is unavailable and fresh=true rules out standbys");
            }
            for (int partition : entry.getValue()) {
                Optional<Part> standby = Optional.empty();
                for (HostInfo host : standbys.getOrDefault(partition, List.of())) {
                    standby = fetch(host, List.of(partition), lower, to, limit, true);
                    if (standby.isPresent()) {
                        break;
                    }
                }
                if (standby.isEmpty()) {
                    return new Answer.NotReady<>("partition " + partition + " has no queryable replica now");
                }
                items.addAll(standby.get().items());
                full |= standby.get().full();
                fromStandby.add(partition);
            }
        }
        items.sort(BY_ID);
        boolean more = full || items.size() > limit;
        List<AggregateView> page = items.size() > limit ? List.copyOf(items.subList(0, limit)) : List.copyOf(items);
        String next = more && !page.isEmpty() ? Cursor.after(SeriesId.parse(page.get(page.size() - 1).id())) : null;
        return new Answer.Local<>(new ScanPage(page, next, self, fromStandby.isEmpty() ? null : fromStandby),
                Served.active(self));
    }

    /**
     * Up to {@code limit} aggregates of each of these local partitions with ids in
     * [lower, upper], from active stores or (if {@code standby}) any local replica.
     *
     * @throws InvalidStateStoreException when a partition is not queryable here
     */
    public Part local(Collection<Integer> parts, SeriesId lower, SeriesId upper, int limit, boolean standby) {
        List<AggregateView> out = new ArrayList<>();
        boolean full = false;
        for (int partition : parts) {
            if (partition < 0 || partition >= partitions) {
                throw new IllegalArgumentException("partition must be within [0, " + partitions + "), got " + partition);
            }
            int taken = 0;
            try (KeyValueIterator<byte[], ValueAndTimestamp<SeriesState>> it =
                         cluster.allTime(partition, standby).range(lower.toBytes(), upper.toBytes())) {
                while (taken < limit && it.hasNext()) {
                    KeyValue<byte[], ValueAndTimestamp<SeriesState>> kv = it.next();
                    out.add(AggregateView.of(kv.value.value().allTime(), null, null, null));
                    taken++;
                }
                full |= taken == limit && it.hasNext();
            }
        }
        return new Part(out, full);
    }

    /** Every instance with its active and standby partitions of the events topic. */
    public List<InstanceView> instances() {
        List<InstanceView> out = new ArrayList<>();
        for (StreamsMetadata md : cluster.members()) {
            out.add(new InstanceView(MetricQueries.name(md.hostInfo()), md.hostInfo().equals(cluster.self()),
                    partitionsOf(md.topicPartitions()), partitionsOf(md.standbyTopicPartitions())));
        }
        out.sort(Comparator.comparing(InstanceView::instance));
        return out;
    }

    private Optional<Part> fetch(HostInfo host, List<Integer> parts, SeriesId lower, SeriesId upper, int limit,
                                 boolean standby) {
        if (host.equals(cluster.self())) {
            try {
                return Optional.of(local(parts, lower, upper, limit, standby));
            } catch (InvalidStateStoreException e) {
                return Optional.empty();
            }
        }
        String path = "/internal/v1/scan?partitions=" + parts.stream().map(String::valueOf).collect(Collectors.joining(","))
                + "&from=" + lower + "&to=" + upper + "&limit=" + limit + (standby ? "&standby=true" : "");
        Optional<Forwarder.Reply> reply = cluster.ask(host, path);
        if (reply.isEmpty() || reply.get().status() != 200) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(reply.get().body(), Part.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private boolean placement(Map<Integer, HostInfo> active, Map<Integer, List<HostInfo>> standbys) {
        Collection<StreamsMetadata> all;
        try {
            all = cluster.members();
        } catch (IllegalStateException e) {
            return false;
        }
        for (StreamsMetadata md : all) {
            for (int p : partitionsOf(md.topicPartitions())) {
                active.put(p, md.hostInfo());
            }
            for (int p : partitionsOf(md.standbyTopicPartitions())) {
                standbys.computeIfAbsent(p, k -> new ArrayList<>()).add(md.hostInfo());
            }
        }
        return active.size() == partitions;
    }

    private static Map<HostInfo, List<Integer>> group(Map<Integer, HostInfo> active) {
        Map<HostInfo, List<Integer>> byHost = new LinkedHashMap<>();
        active.forEach((partition, host) -> byHost.computeIfAbsent(host, h -> new ArrayList<>()).add(partition));
        return byHost;
    }

    private List<Integer> partitionsOf(Collection<TopicPartition> topicPartitions) {
        return new ArrayList<>(topicPartitions.stream()
                .filter(tp -> tp.topic().equals(eventsTopic))
                .map(TopicPartition::partition)
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    private static SeriesId max(SeriesId a, SeriesId b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
