package io.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.rollout.JudgeState;
import io.rollcall.rollout.Role;
import io.rollcall.rollout.Sample;
import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.RolloutVerdict;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.Test;

/** Rollout reads over stub stores: the routing itself is {@link MetricQueries}' and tested with a cluster. */
class RolloutQueriesTest {

    private static final int PARTITION = 3;
    private static final String SELF = "10.0.0.1:8080";
    private static final Served SERVED = Served.active(SELF);
    private static final Instant STARTED = RolloutViewsTest.SPEC.getStartedAt();

    private final Stores stores = new Stores();
    private final StubRouter router = new StubRouter();
    /** 25 s into a rollout of 10 s windows: window 2 is being collected. */
    private final RolloutQueries queries = new RolloutQueries(router, stores,
            Clock.fixed(STARTED.plusSeconds(25), ZoneOffset.UTC), Json.mapper());

    private static RolloutSpec spec(String rolloutId) {
        return RolloutViewsTest.spec().setRolloutId(rolloutId).build();
    }

    private static RolloutVerdict verdict(String rolloutId, int window, Decision decision) {
        return RolloutViewsTest.verdict().setRolloutId(rolloutId).setWindow(window)
                .setDecision(decision).setPassingWindows(window + 1).setFailingWindows(0).build();
    }

    private RolloutStatusView status() {
        Answer<RolloutStatusView> answer = queries.status("checkout", ReadOptions.DEFAULT, "/api/v1/rollouts/checkout");
        assertThat(answer).isInstanceOf(Answer.Local.class);
        return ((Answer.Local<RolloutStatusView>) answer).value();
    }

    @Test
    void aRolloutWithoutVerdictsIsRunningAndPending() {
        stores.specs.put("checkout", spec("checkout-1"));
        stores.judges.put("checkout", JudgeState.none().start("checkout-1"));

        RolloutStatusView status = status();

        assertThat(status.status()).isEqualTo("RUNNING");
        assertThat(status.decision()).isEqualTo("PENDING");
        assertThat(status.latestVerdict()).isNull();
        assertThat(status.spec()).isEqualTo(SpecView.of(spec("checkout-1")));
    }

    @Test
    void theLiveWindowIsTheOneTheClockIsInWithItsFiguresSoFar() {
        stores.specs.put("checkout", spec("checkout-1"));
        long inWindow2 = STARTED.plusSeconds(21).toEpochMilli();
        stores.judges.put("checkout", JudgeState.none().start("checkout-1")
                .withSample(2, new Sample("checkout-1", Role.CANARY, 120, true, inWindow2))
                .withSample(2, new Sample("checkout-1", Role.BASELINE, 80, false, inWindow2)));

        RolloutStatusView.LiveWindow window = status().window();

        assertThat(window.index()).isEqualTo(2);
        assertThat(window.start()).isEqualTo("2026-11-26T10:00:20Z");
        assertThat(window.end()).isEqualTo("2026-11-26T10:00:30Z");
        assertThat(window.canary().requests()).isEqualTo(1);
        assertThat(window.canary().errorRate()).isEqualTo(1.0);
        assertThat(window.baseline().errors()).isZero();
    }

    @Test
    void aPromotingVerdictMakesItPromotedWithNoLiveWindow() {
        stores.specs.put("checkout", spec("checkout-1"));
        stores.judges.put("checkout", JudgeState.none().start("checkout-1").closed(6, 0, Decision.PROMOTE));
        stores.verdicts.put("checkout", List.of(verdict("checkout-1", 5, Decision.PROMOTE)));

        RolloutStatusView status = status();

        assertThat(status.status()).isEqualTo("PROMOTED");
        assertThat(status.decision()).isEqualTo("PROMOTE");
        assertThat(status.passingWindows()).isEqualTo(6);
        assertThat(status.window()).isNull();
        assertThat(status.latestVerdict()).isEqualTo(VerdictView.of(verdict("checkout-1", 5, Decision.PROMOTE)));
    }

    @Test
    void aRollbackVerdictMakesItRolledBack() {
        stores.specs.put("checkout", spec("checkout-1"));
        stores.verdicts.put("checkout", List.of(verdict("checkout-1", 1, Decision.ROLLBACK)));

        assertThat(status().status()).isEqualTo("ROLLED_BACK");
    }

    @Test
    void withoutAJudgeTheCountersComeFromTheLatestVerdict() {
        stores.specs.put("checkout", spec("checkout-1"));
        stores.verdicts.put("checkout", List.of(verdict("checkout-1", 2, Decision.CONTINUE)));

        RolloutStatusView status = status();

        assertThat(status.passingWindows()).isEqualTo(3);
        assertThat(status.window()).isNull();
    }

    private Answer<RolloutStatusView> statusOf(String rolloutId) {
        return queries.status("checkout", Optional.of(rolloutId), ReadOptions.DEFAULT,
                "/api/v1/rollouts/checkout?rolloutId=" + rolloutId);
    }

    @Test
    void aReadBoundToTheCurrentRolloutAnswersItsStatus() {
        stores.specs.put("checkout", spec("checkout-2"));
        stores.verdicts.put("checkout", List.of(verdict("checkout-2", 5, Decision.PROMOTE)));

        Answer<RolloutStatusView> answer = statusOf("checkout-2");

        assertThat(answer).isInstanceOf(Answer.Local.class);
        assertThat(((Answer.Local<RolloutStatusView>) answer).value().decision()).isEqualTo("PROMOTE");
    }

    @Test
    void aReadBoundToANewRolloutNeverSeesThePreviousRolloutsVerdict() {
        stores.specs.put("checkout", spec("checkout-1"));
        stores.verdicts.put("checkout", List.of(verdict("checkout-1", 1, Decision.ROLLBACK)));

        assertThat(statusOf("checkout-2")).isInstanceOf(Answer.NotFound.class);
    }

    @Test
    void aReadBoundToAReplacedRolloutAnswersWithItsOwnNewestVerdict() {
        stores.specs.put("checkout", spec("checkout-2"));
        stores.verdicts.put("checkout", List.of(verdict("checkout-2", 0, Decision.CONTINUE),
                verdict("checkout-1", 1, Decision.ROLLBACK), verdict("checkout-1", 0, Decision.CONTINUE)));

        RolloutStatusView status = ((Answer.Local<RolloutStatusView>) statusOf("checkout-1")).value();

        assertThat(status.rolloutId()).isEqualTo("checkout-1");
        assertThat(status.status()).isEqualTo("ROLLED_BACK");
        assertThat(status.decision()).isEqualTo("ROLLBACK");
        assertThat(status.spec()).isNull();
    }

    @Test
    void aRolloutReplacedBeforeItsEndIsReportedAsReplaced() {
        stores.specs.put("checkout", spec("checkout-2"));
        stores.verdicts.put("checkout", List.of(verdict("checkout-1", 0, Decision.CONTINUE)));

        assertThat(((Answer.Local<RolloutStatusView>) statusOf("checkout-1")).value().status()).isEqualTo("REPLACED");
    }

    @Test
    void aRemovedSpecLeavesItsVerdictsAsARemovedRollout() {
        stores.verdicts.put("checkout", List.of(verdict("checkout-1", 2, Decision.CONTINUE)));

        RolloutStatusView status = status();

        assertThat(status.status()).isEqualTo("REMOVED");
        assertThat(status.rolloutId()).isEqualTo("checkout-1");
        assertThat(status.spec()).isNull();
    }

    @Test
    void aVerdictOfAnEarlierRolloutIsNotTheNewOnesLatest() {
        stores.specs.put("checkout", spec("checkout-2"));
        stores.verdicts.put("checkout", List.of(verdict("checkout-1", 5, Decision.PROMOTE)));

        RolloutStatusView status = status();

        assertThat(status.decision()).isEqualTo("PENDING");
        assertThat(status.latestVerdict()).isNull();
        assertThat(status.passingWindows()).isZero();
    }

    @Test
    void aStatusSaysWhoServedIt() {
        stores.specs.put("checkout", spec("checkout-1"));

        RolloutStatusView status = status();

        assertThat(status.servedBy()).isEqualTo(SELF);
        assertThat(status.standby()).isFalse();
        assertThat(status.lagRecords()).isZero();
    }

    @Test
    void aServiceWithNeitherSpecNorVerdictsIsNotFound() {
        assertThat(queries.status("nobody", ReadOptions.DEFAULT, "/"))
                .isEqualTo(new Answer.NotFound<RolloutStatusView>(SERVED));
    }

    @Test
    void aStoreThatIsNotQueryableMakesTheAnswerNotReadyNamingThePartition() {
        stores.closed = true;

        assertThat(queries.status("checkout", ReadOptions.DEFAULT, "/")).isEqualTo(
                new Answer.NotReady<RolloutStatusView>("partition 3 is not queryable here: closed for the test"));
    }

    @Test
    void verdictsAreOldestFirst() {
        stores.verdicts.put("checkout", List.of(verdict("checkout-1", 2, Decision.CONTINUE),
                verdict("checkout-1", 1, Decision.HOLD), verdict("checkout-1", 0, Decision.CONTINUE)));

        Answer<VerdictsView> answer = queries.verdicts("checkout", 10, ReadOptions.DEFAULT, "/");

        assertThat(((Answer.Local<VerdictsView>) answer).value().verdicts())
                .extracting(VerdictView::window).containsExactly(0, 1, 2);
    }

    @Test
    void verdictsAreTheLatestUpToTheLimit() {
        stores.verdicts.put("checkout", List.of(verdict("checkout-1", 2, Decision.CONTINUE),
                verdict("checkout-1", 1, Decision.HOLD), verdict("checkout-1", 0, Decision.CONTINUE)));

        Answer<VerdictsView> answer = queries.verdicts("checkout", 2, ReadOptions.DEFAULT, "/");

        assertThat(((Answer.Local<VerdictsView>) answer).value().verdicts())
                .extracting(VerdictView::window).containsExactly(1, 2);
    }

    @Test
    void aRolloutWithoutVerdictsYetHasAnEmptyHistory() {
        stores.specs.put("checkout", spec("checkout-1"));

        Answer<VerdictsView> answer = queries.verdicts("checkout", 10, ReadOptions.DEFAULT, "/");

        assertThat(answer).isEqualTo(new Answer.Local<>(new VerdictsView("checkout", List.of(), SELF, false, 0), SERVED));
    }

    @Test
    void verdictsOfAnUnknownServiceAreNotFound() {
        assertThat(queries.verdicts("nobody", 10, ReadOptions.DEFAULT, "/"))
                .isEqualTo(new Answer.NotFound<VerdictsView>(SERVED));
    }

    @Test
    void theOverviewAsksForEachServiceAtItsOwnPath() {
        stores.specs.put("cart", spec("cart-1"));
        stores.specs.put("checkout", spec("checkout-1"));

        queries.overview(ReadOptions.DEFAULT, service -> "/rollouts/" + service);

        assertThat(router.paths).containsExactly("/rollouts/cart", "/rollouts/checkout");
    }

    @Test
    void theOverviewHasEveryStatusReadHereAndWhoAssembledIt() {
        stores.specs.put("checkout", spec("checkout-1"));

        RolloutsView overview = queries.overview(ReadOptions.DEFAULT, service -> "/");

        assertThat(overview.rollouts()).containsExactly(status());
        assertThat(overview.servedBy()).isEqualTo(SELF);
    }

    @Test
    void theOverviewRelaysAnOwnersStatusAsItSentIt() throws Exception {
        stores.specs.put("checkout", spec("checkout-1"));
        router.remote = new Answer.Forwarded<>(200, "{\"service\":\"checkout\",\"fromANewerVersion\":true}", "b:8080");

        RolloutsView overview = queries.overview(ReadOptions.DEFAULT, service -> "/");

        JsonNode relayed = Json.parse("{\"service\":\"checkout\",\"fromANewerVersion\":true}");
        assertThat(overview.rollouts()).containsExactly(new RolloutsView.Relayed(relayed));
    }

    @Test
    void theOverviewNamesAServiceWhoseOwnerCouldNotAnswer() {
        stores.specs.put("checkout", spec("checkout-1"));
        router.remote = new Answer.Forwarded<>(503, "{\"status\":503}", "b:8080");

        RolloutsView overview = queries.overview(ReadOptions.DEFAULT, service -> "/");

        assertThat(overview.rollouts()).containsExactly(
                new RolloutsView.Unavailable("checkout", "status not available now; ask again"));
    }

    @Test
    void theOverviewNamesAServiceNobodyCanReadNow() {
        stores.specs.put("checkout", spec("checkout-1"));
        router.remote = new Answer.NotReady<>("rebalancing");

        RolloutsView overview = queries.overview(ReadOptions.DEFAULT, service -> "/");

        assertThat(overview.rollouts()).containsExactly(
                new RolloutsView.Unavailable("checkout", "status not available now; ask again"));
    }

    /** Answers every read from the local partition, or with {@link #remote} when set, as an owner elsewhere would. */
    private static final class StubRouter implements Router {
        final List<String> paths = new ArrayList<>();
        Answer<?> remote;

        @Override
        @SuppressWarnings("unchecked")
        public <K, T> Answer<T> route(String store, K key, Serializer<K> serializer, ReadOptions options, String path,
                                      BiFunction<Integer, Boolean, Answer<T>> local) {
            paths.add(path);
            return remote != null ? (Answer<T>) remote : local.apply(PARTITION, false);
        }

        @Override
        public Served served(String store, int partition, boolean standby) {
            return SERVED;
        }

        @Override
        public String self() {
            return SELF;
        }
    }

    /** The rollout stores as maps; {@link #closed} makes every read fail as a store being restored does. */
    private static final class Stores implements RolloutStores {
        final Map<String, RolloutSpec> specs = new TreeMap<>();
        final Map<String, JudgeState> judges = new HashMap<>();
        /** Newest first, as the store's reverse range gives them. */
        final Map<String, List<RolloutVerdict>> verdicts = new HashMap<>();
        boolean closed;

        @Override
        public Map<String, RolloutSpec> specs() {
            open();
            return specs;
        }

        @Override
        public JudgeState judge(String service, int partition, boolean standby) {
            open();
            return judges.get(service);
        }

        @Override
        public List<RolloutVerdict> newestVerdicts(String service, int limit, int partition, boolean standby) {
            open();
            List<RolloutVerdict> all = verdicts.getOrDefault(service, List.of());
            return all.subList(0, Math.min(limit, all.size()));
        }

        private void open() {
            if (closed) {
                throw new InvalidStateStoreException("closed for the test");
            }
        }
    }
}
