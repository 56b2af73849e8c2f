package io.rollcall.query;

import io.rollcall.rollout.JudgeState;
import io.rollcall.rollout.RolloutJson;
import io.rollcall.rollout.RolloutJudge;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.RolloutVerdict;
import io.rollcall.topology.StoreNames;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Reads of rollouts. Specs are in a global store (every instance has them all); a rollout's
 * judge state and verdict history live with the task that judges it, so those reads are
 * routed like metric reads, to the owner or a standby.
 */
public final class RolloutQueries {

    private static final Serializer<String> KEY = Serdes.String().serializer();

    private final MetricQueries router;
    private final Clock clock;

    public RolloutQueries(MetricQueries router, Clock clock) {
        this.router = router;
        this.clock = clock;
    }

    /** Every rollout spec, by service. */
    public Map<String, RolloutSpec> specs() {
        ReadOnlyKeyValueStore<String, ValueAndTimestamp<RolloutSpec>> store = router.streams().store(
                StoreQueryParameters.fromNameAndType(StoreNames.ROLLOUT_SPECS,
                        QueryableStoreTypes.<String, RolloutSpec>timestampedKeyValueStore()));
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

    /** Spec, status, latest verdict and live figures of the window being collected. */
    public Answer<Map<String, Object>> status(String service, ReadOptions options, String path) {
        return router.route(StoreNames.ROLLOUT_JUDGES, service, KEY, options, path,
                (partition, standby) -> localStatus(service, partition, standby));
    }

    /** The latest {@code limit} verdicts of a service, oldest first. */
    public Answer<Map<String, Object>> verdicts(String service, int limit, ReadOptions options, String path) {
        return router.route(StoreNames.ROLLOUT_JUDGES, service, KEY, options, path,
                (partition, standby) -> localVerdicts(service, limit, partition, standby));
    }

    private Answer<Map<String, Object>> localStatus(String service, int partition, boolean standby) {
        try {
            RolloutSpec spec = specs().get(service);
            JudgeState state = judges(partition, standby).get(service);
            List<RolloutVerdict> latest = history(service, 1, partition, standby);
            Served served = router.served(StoreNames.ROLLOUT_JUDGES, partition, standby);
            if (spec == null && latest.isEmpty()) {
                return new Answer.NotFound<>(served);
            }
            RolloutVerdict last = latest.isEmpty() ? null : latest.get(0);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("service", service);
            String rolloutId = spec != null ? spec.getRolloutId() : last.getRolloutId();
            out.put("rolloutId", rolloutId);
            boolean lastIsOurs = last != null && last.getRolloutId().equals(rolloutId);
            String decision = lastIsOurs ? last.getDecision().name() : "PENDING";
            out.put("status", spec == null ? "REMOVED"
                    : "PROMOTE".equals(decision) ? "PROMOTED"
                    : "ROLLBACK".equals(decision) ? "ROLLED_BACK" : "RUNNING");
            out.put("decision", decision);
            out.put("spec", spec == null ? null : RolloutJson.spec(spec));
            boolean current = state != null && rolloutId.equals(state.rolloutId());
            out.put("passingWindows", current ? state.passing() : lastIsOurs ? last.getPassingWindows() : 0);
            out.put("failingWindows", current ? state.failing() : lastIsOurs ? last.getFailingWindows() : 0);
            out.put("window", spec == null || !current || state.terminal() != null ? null : liveWindow(spec, state));
            out.put("latestVerdict", lastIsOurs ? RolloutJson.verdict(last) : null);
            return answered(out, served);
        } catch (InvalidStateStoreException e) {
            return new Answer.NotReady<>("partition " + partition + " is not queryable here: " + e.getMessage());
        }
    }

    private Map<String, Object> liveWindow(RolloutSpec spec, JudgeState state) {
        long elapsed = clock.millis() - spec.getStartedAt().toEpochMilli();
        int index = (int) Math.max(state.nextWindow(), Math.max(0, elapsed) / spec.getAnalysisWindow());
        long start = spec.getStartedAt().toEpochMilli() + index * spec.getAnalysisWindow();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("index", index);
        out.put("start", java.time.Instant.ofEpochMilli(start).toString());
        out.put("end", java.time.Instant.ofEpochMilli(start + spec.getAnalysisWindow()).toString());
        out.put("canary", RolloutJson.stats(state.window(index).canary()));
        out.put("baseline", RolloutJson.stats(state.window(index).baseline()));
        return out;
    }

    private Answer<Map<String, Object>> localVerdicts(String service, int limit, int partition, boolean standby) {
        try {
            List<RolloutVerdict> newestFirst = history(service, limit, partition, standby);
            Served served = router.served(StoreNames.ROLLOUT_JUDGES, partition, standby);
            if (newestFirst.isEmpty() && !specs().containsKey(service)) {
                return new Answer.NotFound<>(served);
            }
            List<Map<String, Object>> verdicts = new ArrayList<>();
            for (RolloutVerdict verdict : newestFirst) {
                verdicts.add(RolloutJson.verdict(verdict));
            }
            Collections.reverse(verdicts);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("service", service);
            out.put("verdicts", verdicts);
            return answered(out, served);
        } catch (InvalidStateStoreException e) {
            return new Answer.NotReady<>("partition " + partition + " is not queryable here: " + e.getMessage());
        }
    }

    /** The answer with who served it, as every read answer says. */
    private static Answer<Map<String, Object>> answered(Map<String, Object> out, Served served) {
        out.put("servedBy", served.instance());
        out.put("standby", served.standby());
        out.put("lagRecords", served.lagRecords());
        return new Answer.Local<>(out, served);
    }

    private ReadOnlyKeyValueStore<String, JudgeState> judges(int partition, boolean standby) {
        var params = StoreQueryParameters.fromNameAndType(StoreNames.ROLLOUT_JUDGES,
                QueryableStoreTypes.<String, JudgeState>keyValueStore()).withPartition(partition);
        return router.streams().store(standby ? params.enableStaleStores() : params);
    }

    private List<RolloutVerdict> history(String service, int limit, int partition, boolean standby) {
        var params = StoreQueryParameters.fromNameAndType(StoreNames.ROLLOUT_VERDICTS,
                QueryableStoreTypes.<Bytes, RolloutVerdict>keyValueStore()).withPartition(partition);
        ReadOnlyKeyValueStore<Bytes, RolloutVerdict> store = router.streams().store(
                standby ? params.enableStaleStores() : params);
        List<RolloutVerdict> newestFirst = new ArrayList<>();
        try (KeyValueIterator<Bytes, RolloutVerdict> it = store.reverseRange(RolloutJudge.historyKey(service, 0),
                RolloutJudge.historyKey(service, Long.MAX_VALUE))) {
            while (it.hasNext() && newestFirst.size() < limit) {
                KeyValue<Bytes, RolloutVerdict> next = it.next();
                newestFirst.add(next.value);
            }
        }
        return newestFirst;
    }

    KafkaStreams streams() {
        return router.streams();
    }
}
