package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.aggregate.Aggregate;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.query.Answer;
import io.rollcall.schema.SeriesId;
import io.rollcall.topology.DeadLetterHeaders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A producer outside the JVM on day one: the Node.js example producer registers rollcall's
 * {@code MetricEvent} schema in a real schema registry (Apicurio Registry, its Confluent-compatible
 * API) and writes the Confluent wire format to a real broker; rollcall counts every event it sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeProducerIT {

    /** Ids ≥ 2^63 included: JavaScript numbers cannot hold them, so the producer must not lose bits. */
    private static final List<String> IDS = List.of("1", "42", "18446744073709551557", "9007199254740993");
    private static final int EVENTS = 2_000;
    private static final Path SCHEMAS = Path.of("..", "schemas", "src", "main", "avro");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SchemaRegistry registry;
    private RollcallConfig config;
    private RollcallApp app;
    private List<NodeProducer.Sent> sent;
    private List<ConsumerRecord<byte[], byte[]>> written;
    private List<ConsumerRecord<byte[], byte[]>> dead;

    @BeforeAll
    void nodeProducerWritesThroughTheRegistry() throws Exception {
        NodeProducer producer = NodeProducer.install();
        registry = SchemaRegistry.start();
        config = Fixtures.rolloutConfig("node-producer", "node-producer-it-token-0123456789")
                .with(Map.of("schema.registry.url", registry.url()));
        app = RollcallApp.start(config);
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
        sent = producer.produce(KafkaCluster.get().bootstrapServers(), config.eventsTopic(), registry.url(), EVENTS, IDS);
        Fixtures.awaitCommitted(config, EVENTS, Duration.ofMinutes(2));
        written = Fixtures.readAll(config, config.eventsTopic());
        dead = Fixtures.readAll(config, config.deadLetterTopic());
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theProducerReportsEveryEventItWasAskedFor() {
        assertThat(sent).hasSize(EVENTS).extracting(NodeProducer.Sent::id).containsOnlyElementsOf(IDS);
    }

    @Test
    void everySeriesCountsAndSumsWhatTheProducerSent() {
        for (String id : IDS) {
            List<NodeProducer.Sent> series = sent.stream().filter(e -> e.id().equals(id)).toList();
            Aggregate aggregate = aggregate(id);
            assertThat(aggregate.count()).as("count of %s", id).isEqualTo(series.size());
            assertThat(aggregate.sum()).as("sum of %s", id)
                    .isEqualTo(series.stream().mapToDouble(NodeProducer.Sent::value).sum());
        }
    }

    @Test
    void timersWithAServerErrorStatusCountAsErrors() {
        for (String id : IDS) {
            long errors = sent.stream().filter(e -> e.id().equals(id) && e.status() != null && e.status() >= 500).count();
            assertThat(errors).as("errors sent for %s", id).isPositive();
            assertThat(aggregate(id).errorCount()).as("errors of %s", id).isEqualTo(errors);
        }
    }

    @Test
    void nothingIsDeadLettered() {
        assertThat(dead).extracting(r -> new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(),
                StandardCharsets.UTF_8)).as("reasons of the dead letters").isEmpty();
    }

    @Test
    void theSubjectOfTheTopicsValuesHoldsRollcallsMetricEventSchema() throws Exception {
        Schema registered = registeredSchema();
        // The .avsc files, not the generated class, whose schema carries the code generator's properties.
        Schema.Parser files = new Schema.Parser();
        files.parse(SCHEMAS.resolve("MetricType.avsc").toFile());
        assertThat(registered).isEqualTo(files.parse(SCHEMAS.resolve("MetricEvent.avsc").toFile()));
    }

    @Test
    void everyValueCarriesTheIdOfTheSchemaRegisteredUnderTheTopicValueSubject() throws Exception {
        int schemaId = latestVersion().get("id").asInt();
        assertThat(written).hasSize(EVENTS).allSatisfy(record -> {
            ByteBuffer value = ByteBuffer.wrap(record.value());
            assertThat(value.get()).as("magic byte").isZero();
            assertThat(value.getInt()).as("schema id").isEqualTo(schemaId);
        });
    }

    @Test
    void everyKeyIsTheEightByteIdOfItsEvent() throws Exception {
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(registeredSchema());
        assertThat(written).hasSize(EVENTS).allSatisfy(record -> {
            byte[] value = record.value();
            GenericRecord event = reader.read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
            assertThat(record.key()).isEqualTo(SeriesId.of((Long) event.get("id")).toBytes());
        });
    }

    private Aggregate aggregate(String id) {
        Answer<Aggregate> answer = app.aggregate(SeriesId.parse(id));
        assertThat(answer).as("series %s", id).isInstanceOf(Answer.Local.class);
        return ((Answer.Local<Aggregate>) answer).value();
    }

    private Schema registeredSchema() throws Exception {
        return new Schema.Parser().parse(latestVersion().get("schema").asText());
    }

    /** The latest version under the events topic's {@code <topic>-value} subject, as the registry answers. */
    private JsonNode latestVersion() throws Exception {
        String subject = config.eventsTopic() + "-value";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(registry.url() + "/subjects/" + subject + "/versions/latest")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET latest of %s: %s", subject, response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }
}
