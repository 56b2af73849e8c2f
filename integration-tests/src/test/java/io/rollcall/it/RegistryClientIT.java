package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.registry.RegistryClient;
import io.rollcall.schema.registry.RegistryDecoder;
import io.rollcall.schema.registry.RegistryUnavailableException;
import io.rollcall.schema.registry.UnknownSchemaIdException;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** rollcall's registry client and decoder against a real registry (Apicurio's Confluent-compatible API). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryClientIT {

    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

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

    private RegistryClient client(String... urls) {
        return new RegistryClient(java.util.Arrays.stream(urls).map(URI::create).toList(), Optional.empty(), TIMEOUT,
                HTTP);
    }

    @Test
    void resolvesARegisteredSchemaById() throws Exception {
        int id = registry.register("client-" + TOPICS.incrementAndGet() + "-value", MetricEvent.getClassSchema());

        assertThat(client(registry.url()).byId(id)).isEqualTo(MetricEvent.getClassSchema());
    }

    @Test
    void anIdTheRegistryDoesNotHaveIsUnknown() {
        assertThatThrownBy(() -> client(registry.url()).byId(987_654_321))
                .isInstanceOf(UnknownSchemaIdException.class)
                .hasMessageStartingWith("the schema registry has no schema with id 987654321");
    }

    @Test
    void triesTheNextUrlWhenOneDoesNotAnswer() throws Exception {
        int id = registry.register("client-" + TOPICS.incrementAndGet() + "-value", MetricEvent.getClassSchema());

        assertThat(client("http://127.0.0.1:1", registry.url()).byId(id)).isEqualTo(MetricEvent.getClassSchema());
    }

    @Test
    void decodesWhatARegistryAwareSerializerWrote() {
        MetricEvent event = MetricEvent.newBuilder().setId(42).setName("http.server.requests")
                .setTimestamp(Instant.ofEpochMilli(1_700_000_000_000L)).setType(MetricType.TIMER).setValue(12.5)
                .setStatus(200).setLabels(Map.of("service", "checkout")).build();
        byte[] value;
        try (Serializer<MetricEvent> serializer = RegistryAvroSerializer.forValues(registry)) {
            value = serializer.serialize("client-" + TOPICS.incrementAndGet(), event);
        }

        RegistryDecoder<MetricEvent> decoder = new RegistryDecoder<>(MetricEvent.class, MetricEvent.getClassSchema(),
                client(registry.url()), 1000, java.time.Duration.ofMinutes(1));

        assertThat(decoder.decode(value)).isEqualTo(event);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void aStoppedRegistryIsUnavailableNotUnknown() throws Exception {
        int id = registry.register("client-" + TOPICS.incrementAndGet() + "-value", MetricEvent.getClassSchema());
        registry.stop();
        try {
            assertThatThrownBy(() -> client(registry.url()).byId(id))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageStartingWith("cannot ask the schema registry for schema id " + id + ": ");
        } finally {
            registry.restart();
        }
    }
}
