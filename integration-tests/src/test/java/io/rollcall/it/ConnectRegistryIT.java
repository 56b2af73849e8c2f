package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.config.RollcallConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The registry way to PostgreSQL ({@link ConnectPipeline}): rollcall publishes its aggregates and
 * verdicts in the Confluent wire format ({@code rollcall.registry.publish}) with a real schema
 * registry (Apicurio Registry 3), and Debezium's JDBC sink reads them with Apicurio's
 * registry-aware Avro converter, from a plugin directory of its own, and the connector
 * configurations {@code metric-aggregates-postgres-registry.json} and
 * {@code rollout-verdicts-postgres-registry.json}. The tables must hold what the single-object
 * way writes: the same rows, equal to what the HTTP API answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectRegistryIT implements PostgresSinkChecks {

    private static final Path APICURIO_CONVERTER = Path.of("..", "connectors", "apicurio-converter", "target",
            "plugin").toAbsolutePath().normalize();

    private SchemaRegistry registry;
    private ConnectPipeline pipeline;
    private RollcallConfig config;

    @BeforeAll
    void publishThroughTheRegistryAndSinkToPostgres() throws Exception {
        registry = SchemaRegistry.start();
        config = ConnectPipeline.config("connect-registry", Map.of(
                "schema.registry.url", registry.url(),
                "rollcall.registry.publish", "aggregates,verdicts"));
        pipeline = ConnectPipeline.start(config, List.of(ConnectPipeline.DEBEZIUM_PLUGINS, APICURIO_CONVERTER));
        Map<String, String> converter = Map.of("value.converter.apicurio.registry.url", registry.apicurioV2Url());
        pipeline.sink(ConnectPipeline.AGGREGATES, "metric-aggregates-postgres-registry.json",
                config.aggregatesTopic(), converter);
        pipeline.sink(ConnectPipeline.VERDICTS, "rollout-verdicts-postgres-registry.json",
                config.rollouts().verdictsTopic(), converter);
    }

    @AfterAll
    void stop() throws Exception {
        try (SchemaRegistry schemas = registry) {
            if (pipeline != null) {
                pipeline.close();
            }
        }
    }

    @Override
    public ConnectPipeline pipeline() {
        return pipeline;
    }

    @Test
    void aRecordWithoutTheRegistryFramingGoesToTheConnectorsDeadLetterTopic() throws Exception {
        pipeline.sendAggregate("not avro".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> dead = pipeline.awaitTheDeadAggregate();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
        assertThat(ConnectPipeline.header(dead, "__connect.errors.stage")).isEqualTo("VALUE_CONVERTER");
        pipeline.assertRunning(ConnectPipeline.AGGREGATES);
    }
}
