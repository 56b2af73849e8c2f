package io.rollcall.it;

import static io.rollcall.it.KafkaCluster.compacted;
import static io.rollcall.it.KafkaCluster.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.AggregateCodec;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.query.Answer;
import io.rollcall.schema.SeriesId;
import io.rollcall.topology.StoreNames;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** 120,000 realistic events through a real broker; every series checked against an independent ground truth. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AggregationGroundTruthIT {

    private static final int EVENTS = 120_000;
    private static final int SERIES = 2_000;
    private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99, 0.999};

    private RollcallConfig config;
    private RollcallApp app;
    private Map<Long, GroundTruth.Series> expected;

    @BeforeAll
    void aggregateTheWorkload() throws Exception {
        config = Fixtures.uniqueConfig("ground-truth");
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), 6),
                compacted(config.aggregatesTopic(), 6), topic(config.deadLetterTopic(), 6)));
        app = RollcallApp.start(config);
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).as("app reaches RUNNING").isTrue();
        expected = GroundTruth.produce(config, EVENTS, SERIES, 42).byId();
        Fixtures.awaitCommitted(config, EVENTS, Duration.ofMinutes(3));
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theWorkloadHasEveryEventAndIdsAtOrAbove2To63() {
        assertThat(expected.values().stream().mapToLong(s -> s.count).sum()).isEqualTo(EVENTS);
        assertThat(expected.keySet().stream().filter(id -> id < 0)).as("ids at or above 2^63").isNotEmpty();
    }

    @Test
    void theAggregateChangelogsAreCreatedToBeCompactedAtLeastEveryMinute() throws Exception {
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            for (String store : List.of(StoreNames.ALL_TIME, StoreNames.WINDOWED)) {
                ConfigResource changelog = new ConfigResource(ConfigResource.Type.TOPIC,
                        config.applicationId() + "-" + store + "-changelog");
                Config described = admin.describeConfigs(List.of(changelog)).all().get().get(changelog);
                assertThat(described.get(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG).value()).as(changelog.name())
                        .isEqualTo("60000");
            }
        }
    }

    @Test
    void everySeriesIsAnsweredFromTheLocalStore() {
        assertSoftly(softly -> expected.keySet().forEach(id -> softly.assertThat(app.aggregate(SeriesId.of(id)))
                .as("series %s", SeriesId.of(id)).isInstanceOf(Answer.Local.class)));
    }

    @Test
    void countSumMinMaxAndErrorsOfEverySeriesAreExact() {
        assertSoftly(softly -> expected.forEach((id, series) -> {
            Aggregate agg = stored(id);
            String name = SeriesId.of(id).toString();
            softly.assertThat(agg.count()).as("count of %s", name).isEqualTo(series.count);
            softly.assertThat(agg.sum()).as("sum of %s", name).isEqualTo(series.sum);
            softly.assertThat(agg.min()).as("min of %s", name).isEqualTo(series.min);
            softly.assertThat(agg.max()).as("max of %s", name).isEqualTo(series.max);
            softly.assertThat(agg.errorCount()).as("errors of %s", name).isEqualTo(series.errors);
        }));
    }

    @Test
    void quantilesOfEverySeriesAreWithinOnePercentOfTheExactValue() {
        assertSoftly(softly -> expected.forEach((id, series) -> {
            Aggregate agg = stored(id);
            for (double q : QUANTILES) {
                double exact = series.quantile(q);
                softly.assertThat(Math.abs(agg.quantile(q) - exact))
                        .as("p%s of %s: sketch %s vs exact %s", q * 100, SeriesId.of(id), agg.quantile(q), exact)
                        .isLessThanOrEqualTo(0.01 * Math.abs(exact) + 1e-9);
            }
        }));
    }

    @Test
    void theAggregatesTopicPublishesEverySeriesWithItsFinalCountAndSum() {
        Map<Long, Aggregate> published = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : Fixtures.readAll(config, config.aggregatesTopic())) {
            published.put(SeriesId.fromBytes(record.key()).bits(),
                    AggregateCodec.serde().deserializer().deserialize(record.topic(), record.value()));
        }
        assertThat(published).hasSameSizeAs(expected);
        assertSoftly(softly -> expected.forEach((id, series) -> {
            softly.assertThat(published.get(id).count()).as("published count of %s", SeriesId.of(id))
                    .isEqualTo(series.count);
            softly.assertThat(published.get(id).sum()).as("published sum of %s", SeriesId.of(id))
                    .isEqualTo(series.sum);
        }));
    }

    private Aggregate stored(long id) {
        Answer<Aggregate> lookup = app.aggregate(SeriesId.of(id));
        assertThat(lookup).as("series %s", SeriesId.of(id)).isInstanceOf(Answer.Local.class);
        return ((Answer.Local<Aggregate>) lookup).value();
    }
}
