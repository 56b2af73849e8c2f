package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The schema registry fixture ({@link SchemaRegistry}) and the registry-aware serializer
 * ({@link RegistryAvroSerializer}) that the Confluent-wire-format tests build on: the registry
 * answers the Confluent-compatible API, the serializer writes magic byte, registered id and
 * Avro body, and a restart keeps the ids and the URL. One registry serves every method; each method uses
 * subjects of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaRegistryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SCHEMA_REGISTRY_JSON = "application/vnd.schemaregistry.v1+json";
    private static final AtomicInteger SUBJECTS = new AtomicInteger();

    private SchemaRegistry registry;

    @BeforeAll
    void startRegistry() throws IOException {
        registry = SchemaRegistry.start();
    }

    @AfterAll
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void registersASchemaUnderASubjectAndAnswersItsId() throws Exception {
        String subject = uniqueTopic() + "-value";

        int id = register(subject, MetricEvent.getClassSchema());

        assertThat(id).isPositive();
        assertThat(latestId(subject)).isEqualTo(id);
    }

    @Test
    void servesARegisteredSchemaByItsId() throws Exception {
        int id = register(uniqueTopic() + "-value", MetricEvent.getClassSchema());

        assertThat(schemaById(id)).isEqualTo(MetricEvent.getClassSchema());
    }

    @Test
    void serializerRegistersTheValueSchemaUnderTopicValue() throws Exception {
        String topic = uniqueTopic();

        serialize(topic, event());

        JsonNode latest = get("/subjects/" + topic + "-value/versions/latest");
        assertThat(new Schema.Parser().parse(latest.get("schema").asText())).isEqualTo(MetricEvent.getClassSchema());
    }

    @Test
    void serializedValueStartsWithMagicByteZeroAndTheRegisteredIdBigEndian() throws Exception {
        String topic = uniqueTopic();

        ByteBuffer bytes = ByteBuffer.wrap(serialize(topic, event()));

        assertThat(bytes.get()).isZero();
        assertThat(bytes.getInt()).isEqualTo(latestId(topic + "-value"));
    }

    @Test
    void serializedValueBodyAfterTheFiveByteHeaderIsPlainAvroBinary() throws Exception {
        MetricEvent event = event();

        byte[] bytes = serialize(uniqueTopic(), event);

        byte[] body = Arrays.copyOfRange(bytes, 5, bytes.length);
        MetricEvent read = new SpecificDatumReader<>(MetricEvent.class)
                .read(null, DecoderFactory.get().binaryDecoder(body, null));
        assertThat(read).isEqualTo(event);
    }

    @Test
    void restartKeepsRegisteredIds() throws Exception {
        int id = register(uniqueTopic() + "-value", MetricEvent.getClassSchema());

        registry.restart();

        assertThat(schemaById(id)).isEqualTo(MetricEvent.getClassSchema());
    }

    @Test
    void serializerMadeBeforeARestartRegistersThroughTheSameUrlAfterIt() throws Exception {
        try (Serializer<Object> serializer = RegistryAvroSerializer.forValues(registry)) {
            serializer.serialize(uniqueTopic(), event());

            registry.restart();
            // A schema the serializer has not seen, so that it must ask the registry (it caches by content).
            String topic = uniqueTopic();
            Schema fresh = SchemaBuilder.record("Probe" + SUBJECTS.incrementAndGet()).fields()
                    .requiredInt("n").endRecord();
            ByteBuffer bytes = ByteBuffer.wrap(
                    serializer.serialize(topic, new GenericRecordBuilder(fresh).set("n", 1).build()));

            bytes.get();
            assertThat(bytes.getInt()).isEqualTo(latestId(topic + "-value"));
        }
    }

    private static String uniqueTopic() {
        return "registry-it-" + SUBJECTS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
    }

    private static MetricEvent event() {
        return MetricEvent.newBuilder().setId(42L).setName("db.query")
                .setTimestamp(Instant.ofEpochMilli(1_700_000_000_000L)).setType(MetricType.TIMER).setValue(12.5).setStatus(200).setLabels(Map.of("service", "orders"))
                .build();
    }

    private byte[] serialize(String topic, MetricEvent event) {
        try (Serializer<MetricEvent> serializer = RegistryAvroSerializer.forValues(registry)) {
            return serializer.serialize(topic, event);
        }
    }

    private int register(String subject, Schema schema) throws IOException, InterruptedException {
        return registry.register(subject, schema);
    }

    private int latestId(String subject) throws IOException, InterruptedException {
        return get("/subjects/" + subject + "/versions/latest").get("id").asInt();
    }

    private Schema schemaById(int id) throws IOException, InterruptedException {
        return new Schema.Parser().parse(get("/schemas/ids/" + id).get("schema").asText());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Accept", SCHEMA_REGISTRY_JSON).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
