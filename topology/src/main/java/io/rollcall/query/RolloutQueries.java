package io.rollcall.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.rollout.JudgeState;
import io.rollcall.rollout.WindowStats;
import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.RolloutVerdict;
import io.rollcall.topology.StoreNames;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Reads of rollouts. Specs are in a global store (every instance has them all); a rollout's
 * judge state and verdict history live with the task that judges it, so those reads are
 * routed like metric reads, to the owner or a standby.
 */
public final class RolloutQueries {

    static final String UNAVAILABLE = "status not available now; ask again";
    private static final Serializer<String> KEY = Serdes.String().serializer();

    private final Router router;
    private final RolloutStores stores;
    private final Clock clock;
    private final ObjectMapper json;

    /** @param json reads the answers relayed from other instances */
    public RolloutQueries(MetricQueries router, Clock clock, ObjectMapper json) {
        this(Router.of(router), RolloutStores.of(router.streams()), clock, json);
    }

    RolloutQueries(Router router, RolloutStores stores, Clock clock, ObjectMapper json) {
        this.router = router;
        this.stores = stores;
        this.clock = clock;
        this.json = json;
    }

    /**
     * The status of every rollout, each read where it is judged. A service whose status cannot
     * be had now is listed with the reason, so one unreachable owner does not fail the list.
     *
     * @param pathOf the path of a service's status, for forwarding
     * @throws InvalidStateStoreException when the specs are not queryable here
     */
    public RolloutsView overview(ReadOptions options, Function<String, String> pathOf) {
        List<RolloutsView.Entry> entries = new ArrayList<>();
        for (String service : stores.specs().keySet()) {
            entries.add(entry(service, status(service, options, pathOf.apply(service))));
        }
        return new RolloutsView(entries, router.self());
    }

    /** Spec, status, latest verdict and live figures of the window being collected. */
    public Answer<RolloutStatusView> status(String service, ReadOptions options, String path) {
        return status(service, Optional.empty(), options, path);
    }

    /**
     * The status of one rollout of a service: with a {@code rolloutId}, the answer is about that
     * rollout only — the current one if it has that id, else that rollout as its newest verdict
     * left it (replaced or removed since), else not found. A controller that polls with its own
     * rollout's id therefore never reads an earlier rollout's decision.
     */
    public Answer<RolloutStatusView> status(String service, Optional<String> rolloutId, ReadOptions options,
                                            String path) {
        return router.route(StoreNames.ROLLOUT_JUDGES, service, KEY, options, path,
                (partition, standby) -> localStatus(service, rolloutId, partition, standby));
    }

    /** The service's current spec, from the global store every instance has. */
    public Optional<RolloutSpec> spec(String service) {
        return Optional.ofNullable(stores.spec(service));
    }

    /** The latest {@code limit} verdicts of a service, oldest first. */
    public Answer<VerdictsView> verdicts(String service, int limit, ReadOptions options, String path) {
        return router.route(StoreNames.ROLLOUT_JUDGES, service, KEY, options, path,
                (partition, standby) -> localVerdicts(service, limit, partition, standby));
    }

    private RolloutsView.Entry entry(String service, Answer<RolloutStatusView> answer) {
        if (answer instanceof Answer.Local<RolloutStatusView> local) {
            return local.value();
        }
        if (answer instanceof Answer.Forwarded<RolloutStatusView> forwarded && forwarded.status() == 200) {
            try {
                return new RolloutsView.Relayed(json.readTree(forwarded.body()));
            } catch (JsonProcessingException e) {
                return new RolloutsView.Unavailable(service, UNAVAILABLE);
            }
        }
        return new RolloutsView.Unavailable(service, UNAVAILABLE);
    }

    private Answer<RolloutStatusView> localStatus(String service, Optional<String> asked, int partition,
                                                  boolean standby) {
        try {
            RolloutSpec spec = stores.spec(service);
            Served served = router.served(StoreNames.ROLLOUT_JUDGES, partition, standby);
            if (asked.isPresent() && (spec == null || !spec.getRolloutId().equals(asked.get()))) {
                return earlierRollout(service, asked.get(), spec != null, partition, standby, served);
            }
            JudgeState state = stores.judge(service, partition, standby);
            List<RolloutVerdict> latest = stores.newestVerdicts(service, 1, partition, standby);
            if (spec == null && latest.isEmpty()) {
                return new Answer.NotFound<>(served);
            }
            RolloutVerdict last = latest.isEmpty() ? null : latest.get(0);
            String rolloutId = spec != null ? spec.getRolloutId() : last.getRolloutId();
            boolean lastIsOurs = last != null && last.getRolloutId().equals(rolloutId);
            boolean current = state != null && rolloutId.equals(state.rolloutId());
            String decision = lastIsOurs ? last.getDecision().name() : "PENDING";
            return new Answer.Local<>(new RolloutStatusView(
                    service,
                    rolloutId,
                    spec == null ? "REMOVED" : status(decision),
                    decision,
                    spec == null ? null : SpecView.of(spec),
                    current ? state.passing() : lastIsOurs ? last.getPassingWindows() : 0,
                    current ? state.failing() : lastIsOurs ? last.getFailingWindows() : 0,
                    spec == null || !current || state.terminal() != null ? null : liveWindow(spec, state),
                    lastIsOurs ? VerdictView.of(last) : null,
                    served.instance(), served.standby(), served.lagRecords()), served);
        } catch (InvalidStateStoreException e) {
            return Answer.NotReady.notQueryable(partition, e);
        }
    }

    /** A rollout that is no longer the service's current one, as its newest verdict left it. */
    private Answer<RolloutStatusView> earlierRollout(String service, String rolloutId, boolean replaced, int partition,
                                                     boolean standby, Served served) {
        Optional<RolloutVerdict> last = stores.newestVerdicts(service, Integer.MAX_VALUE, partition, standby).stream()
                .filter(v -> v.getRolloutId().equals(rolloutId)).findFirst();
        if (last.isEmpty()) {
            return new Answer.NotFound<>(served);
        }
        RolloutVerdict verdict = last.get();
        String decision = verdict.getDecision().name();
        String status = status(decision);
        if (status.equals("RUNNING")) {
            status = replaced ? "REPLACED" : "REMOVED";
        }
        return new Answer.Local<>(new RolloutStatusView(service, rolloutId, status, decision, null,
                verdict.getPassingWindows(), verdict.getFailingWindows(), null, VerdictView.of(verdict),
                served.instance(), served.standby(), served.lagRecords()), served);
    }

    private static String status(String decision) {
        if (Decision.PROMOTE.name().equals(decision)) {
            return "PROMOTED";
        }
        return Decision.ROLLBACK.name().equals(decision) ? "ROLLED_BACK" : "RUNNING";
    }

    /** The window the clock is in, or the judge's next one if the clock is behind it. */
    private RolloutStatusView.LiveWindow liveWindow(RolloutSpec spec, JudgeState state) {
        long elapsed = clock.millis() - spec.getStartedAt().toEpochMilli();
        int index = (int) Math.max(state.nextWindow(), Math.max(0, elapsed) / spec.getAnalysisWindow());
        long start = spec.getStartedAt().toEpochMilli() + index * spec.getAnalysisWindow();
        WindowStats window = state.window(index);
        return RolloutStatusView.LiveWindow.of(index, start, spec.getAnalysisWindow(), window.canary(),
                window.baseline());
    }

    private Answer<VerdictsView> localVerdicts(String service, int limit, int partition, boolean standby) {
        try {
            List<RolloutVerdict> newestFirst = stores.newestVerdicts(service, limit, partition, standby);
            Served served = router.served(StoreNames.ROLLOUT_JUDGES, partition, standby);
            if (newestFirst.isEmpty() && stores.spec(service) == null) {
                return new Answer.NotFound<>(served);
            }
            List<VerdictView> oldestFirst = new ArrayList<>();
            for (int i = newestFirst.size() - 1; i >= 0; i--) {
                oldestFirst.add(VerdictView.of(newestFirst.get(i)));
            }
            return new Answer.Local<>(new VerdictsView(service, oldestFirst, served.instance(), served.standby(),
                    served.lagRecords()), served);
        } catch (InvalidStateStoreException e) {
            return Answer.NotReady.notQueryable(partition, e);
        }
    }
}
