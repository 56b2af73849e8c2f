package io.rollcall.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollcallConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsMatchTheContract() {
        RollcallConfig config = RollcallConfig.of(Map.of());
        assertThat(config.eventsTopic()).isEqualTo("metric-events");
        assertThat(config.aggregatesTopic()).isEqualTo("metric-aggregates");
        assertThat(config.deadLetterTopic()).isEqualTo("metric-events-dlq");
        assertThat(config.windowSize()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.rollouts().specsTopic()).isEqualTo("rollouts");
        assertThat(config.rollouts().verdictsTopic()).isEqualTo("rollout-verdicts");
        assertThat(config.writesEnabled()).isFalse();
    }

    @Test
    void theApiTokenIsCheckedForLengthAndNeverPrinted() {
        RollcallConfig config = RollcallConfig.load(null, Map.of("ROLLCALL_API_TOKEN", "s3cr3t-token-0123456789",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"u\" password=\"hunter2\";"));
        assertThat(config.writesEnabled()).isTrue();
        assertThat(config.apiToken()).isEqualTo("s3cr3t-token-0123456789");
        assertThat(config.toString()).doesNotContain("s3cr3t").doesNotContain("hunter2").contains("[hidden]");
        assertThatThrownBy(() -> RollcallConfig.of(Map.of("rollcall.api.token", "short")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rollcall.api.token").hasMessageContaining("at least 16");
    }

    @Test
    void environmentOverridesTheFileAndKafkaSettingsPassThroughUnchanged() throws Exception {
        Path file = dir.resolve("rollcall.properties");
        Files.writeString(file, """
                rollcall.window.size=5m
                rollcall.topic.events=from-file
                bootstrap.servers=file:9092
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                """);
        RollcallConfig config = RollcallConfig.load(file, Map.of(
                "ROLLCALL_TOPIC_EVENTS", "from-env",
                "ROLLCALL_TOPIC_DEAD_LETTER", "dlq-from-env",
                "KAFKA_BOOTSTRAP_SERVERS", "env:9092",
                "PATH", "/usr/bin"));

        assertThat(config.windowSize()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.eventsTopic()).isEqualTo("from-env");
        assertThat(config.deadLetterTopic()).isEqualTo("dlq-from-env");
        assertThat(config.kafka()).containsEntry("bootstrap.servers", "env:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .doesNotContainKey("path");
    }

    @Test
    void rejectsAnInvalidDurationNamingTheSetting() {
        assertThatThrownBy(() -> RollcallConfig.of(Map.of("rollcall.window.size", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("rollcall.window.size:");
    }

    @Test
    void rejectsRetentionShorterThanWindowPlusGrace() {
        assertThatThrownBy(() -> RollcallConfig.of(Map.of("rollcall.window.size", "10m", "rollcall.window.retention", "5m")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("rollcall.window.retention:");
    }

    @Test
    void rocksDbTuningIsBoundedByDefaultAndValidatedNamingTheSetting() {
        RollcallConfig config = RollcallConfig.of(Map.of());
        assertThat(config.storage().rocksDb()).isEqualTo(new RollcallConfig.RocksDb(256, 16, "lz4"));
        assertThat(RollcallConfig.of(Map.of("rollcall.rocksdb.tuning", "streams-default")).storage().rocksDb()).isNull();
        assertThat(config.with(Map.of("rollcall.rocksdb.memory-mb", "64")).storage().rocksDb().memoryMb()).isEqualTo(64);
        assertThatThrownBy(() -> RollcallConfig.of(Map.of("rollcall.rocksdb.compression", "gzip")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("rollcall.rocksdb.compression:");
        assertThatThrownBy(() -> RollcallConfig.of(Map.of("rollcall.rocksdb.memory-mb", "32",
                "rollcall.rocksdb.write-buffer-mb", "20")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("rollcall.rocksdb.write-buffer-mb:");
        assertThatThrownBy(() -> RollcallConfig.of(Map.of("rollcall.rocksdb.tuning", "fast")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("rollcall.rocksdb.tuning:");
    }

    @Test
    void reportsUnknownRollcallSettings() {
        assertThatThrownBy(() -> RollcallConfig.of(Map.of("rollcall.windw.size", "1m")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rollcall.windw.size");
    }

    @Test
    void unknownRollcallEnvironmentVariablesAreIgnoredNotFatal() {
        RollcallConfig config = RollcallConfig.load(null, Map.of("ROLLCALL_HOME", "/opt/rollcall",
                "ROLLCALL_LOG_LEVEL", "DEBUG", "ROLLCALL_WINDOW_SIZE", "2m"));
        assertThat(config.windowSize()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.asMap()).doesNotContainKeys("rollcall.home", "rollcall.log.level");
    }

    @Test
    void missingBootstrapServersIsAClearError() {
        assertThatThrownBy(() -> RollcallConfig.of(Map.of()).bootstrapServers())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.servers");
    }
}
