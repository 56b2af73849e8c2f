package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.load.LoadGenerator;
import io.rollcall.query.Answer;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import io.rollcall.topology.DeadLetterHeaders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Producers of both encodings on one topic, with a real schema registry (Apicurio Registry,
 * its Confluent-compatible API) that is stopped mid-stream and started again: every event is
 * counted once, and only the bad records are dead-lettered. The aggregates are published in
 * the Confluent wire format, for registry-aware consumers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryIT {

    private static final AvroSerde<MetricEvent> SINGLE_OBJECT = AvroSerde.metricEvent();
    private static final long[] IDS = {1L, 42L, Long.parseUnsignedLong("18446744073709551557"), 7_000_000_007L};
    private static final int PER_PHASE = 400;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SchemaRegistry registry;
    private RollcallConfig config;
    private RollcallApp app;
    private final Map<Long, double[]> truth = new HashMap<>();
    private long produced;
    private String readyWhileDown;
    private String metricsWhileDown;
    private List<ConsumerRecord<byte[], byte[]>> dead;

    @BeforeAll
    void mixedProducersThroughARegistryOutage() throws Exception {
        registry = SchemaRegistry.start();
        config = Fixtures.rolloutConfig("registry", "registry-it-token-0123456789").with(Map.of(
                "schema.registry.url", registry.url(),
                "rollcall.registry.retry-max", "2s",
                "rollcall.registry.publish", "aggregates"));
        app = RollcallApp.start(config);
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
        Schema newer = newerProducerSchema();
        try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties());
             Serializer<Object> confluent = RegistryAvroSerializer.forValues(registry)) {
            // Registry up: single-object and Confluent-framed events, interleaved.
            for (int i = 0; i < PER_PHASE; i++) {
                MetricEvent event = event(IDS[i % IDS.length], i);
                send(producer, event, i % 2 == 0 ? SINGLE_OBJECT.serialize(event) : confluent.serialize(config.eventsTopic(), event));
            }
            send(producer, IDS[0], unregisteredId());
            send(producer, IDS[0], confluent.serialize(config.eventsTopic(), incompatible()));
            Fixtures.awaitCommitted(config, produced, Duration.ofMinutes(1));

            // A producer with a newer schema registers it now; its events arrive while the registry is down.
            List<byte[]> newerValues = new ArrayList<>();
            List<MetricEvent> newerEvents = new ArrayList<>();
            for (int i = 0; i < PER_PHASE; i++) {
                MetricEvent event = event(IDS[i % IDS.length], PER_PHASE + i);
                newerEvents.add(event);
                newerValues.add(confluent.serialize(config.eventsTopic(), asNewer(event, newer)));
            }
            registry.stop();
            for (int i = 0; i < PER_PHASE; i++) {
                send(producer, newerEvents.get(i), newerValues.get(i));
                MetricEvent plain = event(IDS[i % IDS.length], 2 * PER_PHASE + i);
                send(producer, plain, SINGLE_OBJECT.serialize(plain));
            }
            producer.flush();
            await().atMost(Duration.ofMinutes(1)).until(() -> get("/health/ready").contains("schema registry unavailable"));
            readyWhileDown = get("/health/ready");
            metricsWhileDown = get("/metrics");
            registry.restart();
        }
        Fixtures.awaitCommitted(config, produced, Duration.ofMinutes(2));
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
    void everyEventOfEitherEncodingIsCountedExactlyOnceThroughTheOutage() {
        for (long id : IDS) {
            Answer<Aggregate> answer = app.aggregate(SeriesId.of(id));
            assertThat(answer).as("series %s", Long.toUnsignedString(id)).isInstanceOf(Answer.Local.class);
            Aggregate aggregate = ((Answer.Local<Aggregate>) answer).value();
            assertThat(aggregate.count()).as("count of %s", Long.toUnsignedString(id)).isEqualTo((long) truth.get(id)[0]);
            assertThat(aggregate.sum()).as("sum of %s", Long.toUnsignedString(id)).isEqualTo(truth.get(id)[1]);
        }
    }

    @Test
    void aRegistryAwareDeserializerReadsThePublishedAggregates() {
        Map<Long, Long> counts = new HashMap<>();
        try (Deserializer<Object> deserializer = RegistryAvroSerializer.deserializerForValues(registry)) {
            for (ConsumerRecord<byte[], byte[]> record : Fixtures.readAll(config, config.aggregatesTopic())) {
                GenericRecord aggregate = (GenericRecord) deserializer.deserialize(config.aggregatesTopic(), record.value());
                if (aggregate.get("windowStart") == null) {
                    counts.put((Long) aggregate.get("id"), (Long) aggregate.get("count"));
                }
            }
        }

        Map<Long, Long> expected = new HashMap<>();
        truth.forEach((id, series) -> expected.put(id, (long) series[0]));
        assertThat(counts).isEqualTo(expected);
    }

    @Test
    void onlyTheBadRecordsAreDeadLettered() {
        assertThat(dead).extracting(r -> header(r, DeadLetterHeaders.REASON))
                .containsExactlyInAnyOrder("unknown-schema", "incompatible-schema");
    }

    @Test
    void anIdTheRegistryDoesNotHaveIsDeadLetteredWithWhatTheRegistrySaid() {
        assertThat(dead).filteredOn(r -> header(r, DeadLetterHeaders.REASON).equals("unknown-schema"))
                .singleElement()
                .satisfies(r -> assertThat(header(r, DeadLetterHeaders.MESSAGE))
                        .startsWith("the schema registry has no schema with id 999999"));
    }

    @Test
    void readinessNamesTheRegistryWhileItIsDownAndStaysReady() {
        assertThat(readyWhileDown).startsWith("{\"status\":\"READY\"").contains("schema registry unavailable since");
    }

    @Test
    void theMetricsShowTheRegistryDown() {
        assertThat(metricsWhileDown).contains("rollcall_schema_registry_available 0.0")
                .containsPattern("rollcall_schema_registry_requests_total\\{outcome=\"unavailable\"} [1-9]");
    }

    @Test
    void theMetricsShowTheRegistryBackOnceItAnswers() throws Exception {
        assertThat(get("/metrics")).contains("rollcall_schema_registry_available 1.0");
    }

    private void send(KafkaProducer<byte[], byte[]> producer, MetricEvent event, byte[] value) {
        double[] series = truth.computeIfAbsent(event.getId(), id -> new double[2]);
        series[0]++;
        series[1] += event.getValue();
        send(producer, event.getId(), value);
    }

    private void send(KafkaProducer<byte[], byte[]> producer, long id, byte[] value) {
        producer.send(new ProducerRecord<>(config.eventsTopic(), SeriesId.of(id).toBytes(), value));
        produced++;
    }

    private static MetricEvent event(long id, int i) {
        return MetricEvent.newBuilder().setId(id).setName("http.server.requests").setTimestamp(Instant.now())
                .setType(MetricType.TIMER).setValue(1 + i % 97).setStatus(200).setLabels(Map.of("service", "checkout"))
                .build();
    }

    /** MetricEvent with one more field, as a producer a release ahead of rollcall would write it. */
    private static Schema newerProducerSchema() {
        String json = MetricEvent.getClassSchema().toString();
        return new Schema.Parser().parse(json.replaceFirst("\"fields\":\\[",
                "\"fields\":[{\"name\":\"host\",\"type\":\"string\",\"default\":\"\"},"));
    }

    private static GenericRecord asNewer(MetricEvent event, Schema newer) {
        GenericData.Record record = new GenericData.Record(newer);
        for (Schema.Field field : MetricEvent.getClassSchema().getFields()) {
            Object value = event.get(field.pos());
            if (value instanceof Enum<?> symbol) {
                value = new GenericData.EnumSymbol(newer.getField(field.name()).schema(), symbol.name());
            } else if (value instanceof Instant time) {
                value = time.toEpochMilli();
            }
            record.put(field.name(), value);
        }
        record.put("host", "web-1");
        return record;
    }

    /** A value written with a schema rollcall cannot read: its value is a string. */
    private static GenericRecord incompatible() {
        Schema schema = new Schema.Parser().parse("""
                {"type":"record","name":"MetricEvent","namespace":"io.rollcall.schema.avro","fields":[
                  {"name":"id","type":"long"},{"name":"value","type":"string"}]}""");
        GenericData.Record record = new GenericData.Record(schema);
        record.put("id", IDS[0]);
        record.put("value", "twelve");
        return record;
    }

    /** Confluent framing with an id no registry has given out. */
    private static byte[] unregisteredId() {
        byte[] body = SINGLE_OBJECT.serialize(event(IDS[0], 0));
        return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(999_999).put(body).array();
    }

    private String get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
