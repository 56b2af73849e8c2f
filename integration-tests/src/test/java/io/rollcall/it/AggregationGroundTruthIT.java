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
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** 120,000 realistic events through a real broker; every series checked against an independent ground truth. */
class AggregationGroundTruthIT {

    private static final int EVENTS = 120_000;
    private static final int SERIES = 2_000;
    private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99, 0.999};

    @Test
    void everySeriesCountSumMinMaxIsExactAndQuantilesAreWithinOnePercent() throws Exception {
        RollcallConfig config = Fixtures.uniqueConfig("ground-truth");
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), 6),
                compacted(config.aggregatesTopic(), 6), topic(config.deadLetterTopic(), 6)));

        try (RollcallApp app = RollcallApp.start(config)) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).as("app reaches RUNNING").isTrue();
            GroundTruth truth = GroundTruth.produce(config, EVENTS, SERIES, 42);
            Fixtures.awaitCommitted(config, EVENTS, Duration.ofMinutes(3));

            Map<Long, GroundTruth.Series> expected = truth.byId();
            assertThat(truth.events()).isEqualTo(EVENTS);
            assertThat(expected.keySet().stream().filter(id -> id < 0)).as("ids at or above 2^63").isNotEmpty();
            assertSoftly(softly -> expected.forEach((id, series) -> {
                Answer<Aggregate> lookup = app.aggregate(SeriesId.of(id));
                softly.assertThat(lookup).as("series %s", SeriesId.of(id)).isInstanceOf(Answer.Local.class);
                if (!(lookup instanceof Answer.Local<Aggregate> found)) {
                    return;
                }
                Aggregate agg = found.value();
                String name = SeriesId.of(id).toString();
                softly.assertThat(agg.count()).as("count of %s", name).isEqualTo(series.count);
                softly.assertThat(agg.sum()).as("sum of %s", name).isEqualTo(series.sum);
                softly.assertThat(agg.min()).as("min of %s", name).isEqualTo(series.min);
                softly.assertThat(agg.max()).as("max of %s", name).isEqualTo(series.max);
                softly.assertThat(agg.errorCount()).as("errors of %s", name).isEqualTo(series.errors);
                for (double q : QUANTILES) {
                    double exact = series.quantile(q);
                    softly.assertThat(Math.abs(agg.quantile(q) - exact))
                            .as("p%s of %s: sketch %s vs exact %s", q * 100, name, agg.quantile(q), exact)
                            .isLessThanOrEqualTo(0.01 * Math.abs(exact) + 1e-9);
                }
            }));

            Map<Long, Aggregate> published = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : Fixtures.readAll(config, config.aggregatesTopic())) {
                published.put(SeriesId.fromBytes(record.key()).bits(),
                        AggregateCodec.serde().deserializer().deserialize(record.topic(), record.value()));
            }
            assertThat(published).hasSameSizeAs(expected);
            assertSoftly(softly -> expected.forEach((id, series) -> {
                softly.assertThat(published.get(id).count()).as("published count of %s", SeriesId.of(id))
                        .isEqualTo(series.count);
                softly.assertThat(published.get(id).sum()).isEqualTo(series.sum);
            }));
        }
    }
}
