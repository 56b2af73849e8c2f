package io.rollcall.rollout;

import io.rollcall.log.LogContext;
import io.rollcall.schema.avro.RolloutSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The valid rollout specs, decoded once: a snapshot of the global {@code rollout-specs}
 * store, refreshed on each tick, so the per-event lookup is a hash-map read instead of a
 * store read and an Avro decode. Specs that fail validation (written to the topic by
 * something other than the HTTP API) are ignored, with one warning each.
 */
final class SpecCache {

    private static final Logger LOG = LoggerFactory.getLogger(SpecCache.class);
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private final ReadOnlyKeyValueStore<String, ValueAndTimestamp<RolloutSpec>> store;
    private Map<String, RolloutSpec> specs = Map.of();
    private long refreshedAt;

    SpecCache(ReadOnlyKeyValueStore<String, ValueAndTimestamp<RolloutSpec>> store) {
        this.store = store;
        refresh();
    }

    /** Refreshes unless the snapshot is younger than {@code minAgeMs} at wall-clock time {@code now}. */
    void refreshIfOlder(long minAgeMs, long now) {
        if (now - refreshedAt >= minAgeMs) {
            refreshedAt = now;
            refresh();
        }
    }

    void refresh() {
        Map<String, RolloutSpec> next = new HashMap<>();
        try (KeyValueIterator<String, ValueAndTimestamp<RolloutSpec>> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, ValueAndTimestamp<RolloutSpec>> entry = all.next();
                RolloutSpec spec = entry.value == null ? null : entry.value.value();
                if (spec == null) {
                    continue;
                }
                var problems = SpecValidator.problems(spec);
                if (!problems.isEmpty() || !entry.key.equals(spec.getService())) {
                    if (WARNED.add(spec.getRolloutId() + "/" + entry.key)) {
                        try (LogContext ignored = LogContext.rollout(spec.getRolloutId(), entry.key)) {
                            LOG.warn("ignoring rollout spec for key '{}': {}", entry.key, problems.isEmpty()
                                    ? "key differs from service '" + spec.getService() + "'" : problems);
                        }
                    }
                    continue;
                }
                next.put(entry.key, spec);
            }
        }
        specs = next;
    }

    RolloutSpec get(String service) {
        return specs.get(service);
    }

    Map<String, RolloutSpec> all() {
        return specs;
    }

    boolean isEmpty() {
        return specs.isEmpty();
    }
}
