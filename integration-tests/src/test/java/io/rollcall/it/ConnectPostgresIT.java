package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.config.RollcallConfig;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The single-object way to PostgreSQL ({@link ConnectPipeline}): Debezium's JDBC sink with
 * rollcall's converters and the connector configurations {@code metric-aggregates-postgres.json}
 * and {@code rollout-verdicts-postgres.json}. Each aggregate row must equal what the HTTP API
 * answers for the same id; the verdict history table must hold the verdicts the API lists; a
 * record the converter cannot read lands in the connector's dead-letter topic while the
 * connector keeps running. One run of the whole pipeline serves every method.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectPostgresIT implements PostgresSinkChecks {

    private ConnectPipeline pipeline;

    @BeforeAll
    void aggregateJudgeAndSinkToPostgres() throws Exception {
        RollcallConfig config = ConnectPipeline.config("connect", Map.of());
        // rollcall's converters come from the test class path, Debezium's sink from its plugin directory.
        pipeline = ConnectPipeline.start(config, List.of(ConnectPipeline.DEBEZIUM_PLUGINS));
        pipeline.sink(ConnectPipeline.AGGREGATES, "metric-aggregates-postgres.json", config.aggregatesTopic(), Map.of());
        pipeline.sink(ConnectPipeline.VERDICTS, "rollout-verdicts-postgres.json", config.rollouts().verdictsTopic(),
                Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Override
    public ConnectPipeline pipeline() {
        return pipeline;
    }

    @Test
    void aRecordTheConverterCannotReadGoesToTheConnectorsDeadLetterTopic() throws Exception {
        pipeline.sendAggregate("not avro".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> dead = pipeline.awaitTheDeadAggregate();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
        assertThat(ConnectPipeline.header(dead, "__connect.errors.exception.message")).contains("not a rollcall record");
        pipeline.assertRunning(ConnectPipeline.AGGREGATES);
    }

    @Test
    void thePasswordNeverReachesTheStoredConnectorConfiguration() throws Exception {
        assertThat(pipeline.get("/connectors/" + ConnectPipeline.AGGREGATES + "/config"))
                .doesNotContain(pipeline.password).contains("${file:");
    }

    @Test
    void theDatabaseRefusesTheConnectorsRoleWithoutItsPassword() {
        assertThatThrownBy(() -> DriverManager.getConnection(pipeline.postgres().jdbcUrl(), Postgres.USER,
                "not-" + pipeline.password).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
    }
}
