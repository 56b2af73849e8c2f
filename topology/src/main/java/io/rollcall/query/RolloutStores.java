package io.rollcall.query;

import io.rollcall.rollout.JudgeState;
import io.rollcall.rollout.RolloutJudge;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.RolloutVerdict;
import io.rollcall.topology.StoreNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The rollout stores of this instance. Every read may throw
 * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} when the store is not queryable here.
 */
interface RolloutStores {

    /** Every rollout spec, by service (a global store: every instance has them all). */
    Map<String, RolloutSpec> specs();

    /** The spec of one service; null when it has none. */
    default RolloutSpec spec(String service) {
        return specs().get(service);
    }

    /** The judge's state of a service in a local partition; null when it has none. */
    JudgeState judge(String service, int partition, boolean standby);

    /** Up to {@code limit} of a service's verdicts in a local partition, newest first. */
    List<RolloutVerdict> newestVerdicts(String service, int limit, int partition, boolean standby);

    static RolloutStores of(KafkaStreams streams) {
        return new RolloutStores() {
            @Override
            public Map<String, RolloutSpec> specs() {
                ReadOnlyKeyValueStore<String, ValueAndTimestamp<RolloutSpec>> store = specStore();
                Map<String, RolloutSpec> specs = new TreeMap<>();
                try (KeyValueIterator<String, ValueAndTimestamp<RolloutSpec>> all = store.all()) {
                    all.forEachRemaining(kv -> {
                        if (kv.value != null && kv.value.value() != null) {
                            specs.put(kv.key, kv.value.value());
                        }
                    });
                }
                return specs;
            }

            @Override
            public RolloutSpec spec(String service) {
                ValueAndTimestamp<RolloutSpec> spec = specStore().get(service);
                return spec == null ? null : spec.value();
            }

            @Override
            public JudgeState judge(String service, int partition, boolean standby) {
                return streams.store(MetricQueries.localPartition(StoreNames.ROLLOUT_JUDGES,
                        QueryableStoreTypes.<String, JudgeState>keyValueStore(), partition, standby)).get(service);
            }

            private ReadOnlyKeyValueStore<String, ValueAndTimestamp<RolloutSpec>> specStore() {
                return streams.store(StoreQueryParameters.fromNameAndType(StoreNames.ROLLOUT_SPECS,
                        QueryableStoreTypes.<String, RolloutSpec>timestampedKeyValueStore()));
            }

            @Override
            public List<RolloutVerdict> newestVerdicts(String service, int limit, int partition, boolean standby) {
                ReadOnlyKeyValueStore<Bytes, RolloutVerdict> store = streams.store(MetricQueries.localPartition(
                        StoreNames.ROLLOUT_VERDICTS, QueryableStoreTypes.<Bytes, RolloutVerdict>keyValueStore(),
                        partition, standby));
                List<RolloutVerdict> newestFirst = new ArrayList<>();
                try (KeyValueIterator<Bytes, RolloutVerdict> it = store.reverseRange(
                        RolloutJudge.historyKey(service, 0), RolloutJudge.historyKey(service, Long.MAX_VALUE))) {
                    while (it.hasNext() && newestFirst.size() < limit) {
                        newestFirst.add(it.next().value);
                    }
                }
                return newestFirst;
            }
        };
    }
}
