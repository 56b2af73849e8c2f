package io.rollcall.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RollcallConfigTest {

    private static final String TOKEN = "s3cr3t-token-0123456789";

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
        assertThat(config.rollouts().tick()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.rollouts().idle()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.httpPort()).isEqualTo(8080);
    }

    @Test
    void defaultsListEverySettingAndAreAValidConfiguration() {
        assertThat(RollcallConfig.DEFAULTS).containsKeys(RollcallSettings.WINDOW_SIZE, RollcallSettings.API_TOKEN)
                .allSatisfy((key, value) -> assertThat(key.startsWith(RollcallConfig.PREFIX)
                        || RollcallSettings.CLIENT_NAMED.contains(key)).as(key).isTrue());
        assertThat(RollcallConfig.of(RollcallConfig.DEFAULTS)).isEqualTo(RollcallConfig.of(Map.of()));
    }

    @Test
    void withoutARegistryUrlThereIsNoRegistry() {
        assertThat(RollcallConfig.of(Map.of()).registry()).isNull();
    }

    @Test
    void registryUrlsAndBasicAuthAreReadUnderTheNamesConfluentClientsUse() {
        RollcallConfig.Registry registry = RollcallConfig.of(Map.of(
                "schema.registry.url", "http://registry-1:8081, http://registry-2:8081/apis/ccompat/v7",
                "basic.auth.user.info", "rollcall:pa55")).registry();

        assertThat(registry.urls()).extracting(Object::toString)
                .containsExactly("http://registry-1:8081", "http://registry-2:8081/apis/ccompat/v7");
        assertThat(registry.userInfo()).contains("rollcall:pa55");
    }

    @Test
    void registrySettingsComeFromTheirEnvironmentVariables() {
        RollcallConfig config = RollcallConfig.load(null, Map.of(
                "SCHEMA_REGISTRY_URL", "http://registry:8081", "BASIC_AUTH_USER_INFO", "rollcall:pa55"));

        assertThat(config.registry().urls()).extracting(Object::toString).containsExactly("http://registry:8081");
        assertThat(config.registry().userInfo()).contains("rollcall:pa55");
    }

    @Test
    void credentialsInTheUrlAreTakenOutOfItWhenTheSourceIsUrl() {
        RollcallConfig.Registry registry = RollcallConfig.of(Map.of(
                "schema.registry.url", "https://rollcall:pa%2455@registry:8081",
                "basic.auth.credentials.source", "URL")).registry();

        assertThat(registry.urls()).extracting(Object::toString).containsExactly("https://registry:8081");
        assertThat(registry.userInfo()).contains("rollcall:pa$55");
    }

    @Test
    void registrySettingsAreNotPassedToKafkaClients() {
        RollcallConfig config = RollcallConfig.of(Map.of("schema.registry.url", "http://registry:8081"));

        assertThat(config.kafka()).doesNotContainKey("schema.registry.url");
    }

    @Test
    void theRegistryPasswordIsNeverPrinted() {
        RollcallConfig config = RollcallConfig.of(Map.of(
                "schema.registry.url", "http://registry:8081", "basic.auth.user.info", "rollcall:pa55"));

        assertThat(config.toString()).doesNotContain("pa55");
        assertThat(config.registry().toString()).doesNotContain("pa55");
    }

    @Test
    void userInfoWithoutARegistryIsAnError() {
        assertThatThrownBy(() -> RollcallConfig.of(Map.of("basic.auth.user.info", "rollcall:pa55")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("basic.auth.user.info: set, but schema.registry.url is not");
    }

    @Test
    void aRegistryUrlThatIsNotHttpIsAnError() {
        assertThatThrownBy(() -> RollcallConfig.of(Map.of("schema.registry.url", "registry:8081")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("schema.registry.url: 'registry:8081' is not an http(s) URL with a host");
    }

    @Test
    void durationsAreReadInShortFormOrIso8601() {
        RollcallConfig config = RollcallConfig.of(Map.of(
                "rollcall.window.size", "PT2M", "rollcall.rollout.tick", "250ms", "rollcall.window.retention", "7d"));
        assertThat(config.windowSize()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.rollouts().tick()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.windowRetention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void valuesAreTrimmed() {
        RollcallConfig config = RollcallConfig.of(Map.of("rollcall.topic.events", " events ", "rollcall.http.port", " 9090"));
        assertThat(config.eventsTopic()).isEqualTo("events");
        assertThat(config.httpPort()).isEqualTo(9090);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "rollcall.topic.events       | ''         | must not be empty",
            "rollcall.event.max-bytes    | 0          | must be a positive integer, got 0",
            "rollcall.event.max-labels   | many       | must be an integer, got 'many'",
            "rollcall.http.port          | 70000      | must be a port from 0 to 65535, got 70000",
            "rollcall.window.size        | soon       | 'soon' is not a duration",
            "rollcall.rollout.tick       | 0s         | must be positive, got PT0S",
            "rollcall.window.grace       | -PT1S      | must not be negative, got PT-1S",
            "rollcall.rocksdb.compression| gzip       | must be none, lz4, zstd or snappy, got 'gzip'",
            "rollcall.rocksdb.tuning     | fast       | must be bounded or streams-default, got 'fast'",
            "rollcall.http.tls.keystore  | no-such.p12| cannot read",
    })
    void refusesABadValueWithOneLineNamingTheSetting(String key, String value, String reason) {
        assertThatThrownBy(() -> RollcallConfig.of(Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(key + ": ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void refusesAShortApiTokenWithoutPrintingIt() {
        assertThatThrownBy(() -> RollcallConfig.of(Map.of("rollcall.api.token", "short-secret")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("rollcall.api.token: must be at least 16 characters")
                .hasMessageNotContaining("short-secret");
    }

    @Test
    void theApiTokenIsAbsentUnlessConfigured() {
        assertThat(RollcallConfig.of(Map.of()).apiToken()).isNull();
        assertThat(RollcallConfig.of(Map.of("rollcall.api.token", TOKEN)).apiToken()).isEqualTo(TOKEN);
    }

    @Test
    void rejectsRetentionShorterThanWindowPlusGrace() {
        assertThatThrownBy(() -> RollcallConfig.of(Map.of("rollcall.window.size", "10m", "rollcall.window.retention", "5m")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("rollcall.window.retention: must be at least");
    }

    @Test
    void rejectsWriteBuffersThatDoNotFitInTheRocksDbMemory() {
        assertThatThrownBy(() -> RollcallConfig.of(Map.of("rollcall.rocksdb.memory-mb", "32",
                "rollcall.rocksdb.write-buffer-mb", "20")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("rollcall.rocksdb.write-buffer-mb: two memtables (40 MB)");
    }

    @Test
    void rejectsATruststoreWithoutAKeystore() throws Exception {
        Path truststore = Files.writeString(dir.resolve("trust.p12"), "");
        assertThatThrownBy(() -> RollcallConfig.of(Map.of("rollcall.http.tls.truststore", truststore.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("rollcall.http.tls.truststore: set, but rollcall.http.tls.keystore is not");
    }

    @Test
    void aReadableKeystoreTurnsTlsOn() throws Exception {
        Path keystore = Files.writeString(dir.resolve("key.p12"), "");
        RollcallConfig config = RollcallConfig.of(Map.of("rollcall.http.tls.keystore", keystore.toString(),
                "rollcall.http.tls.keystore-password", "changeit"));
        assertThat(config.tls()).isEqualTo(new RollcallConfig.Tls(keystore, "changeit", null, ""));
        assertThat(RollcallConfig.of(Map.of()).tls()).isNull();
    }

    @Test
    void rocksDbTuningIsBoundedByDefault() {
        assertThat(RollcallConfig.of(Map.of()).storage().rocksDb()).isEqualTo(new RollcallConfig.RocksDb(256, 16, "lz4"));
    }

    @Test
    void streamsDefaultRocksDbTuningLeavesRocksDbUntuned() {
        assertThat(RollcallConfig.of(Map.of("rollcall.rocksdb.tuning", "streams-default")).storage().rocksDb()).isNull();
    }

    @Test
    void withReplacesSettingsAndKeepsTheRest() {
        RollcallConfig config = RollcallConfig.of(Map.of("rollcall.topic.events", "in", "bootstrap.servers", "k:9092"));
        RollcallConfig changed = config.with(Map.of("rollcall.rocksdb.memory-mb", "64"));
        assertThat(changed.storage().rocksDb().memoryMb()).isEqualTo(64);
        assertThat(changed.eventsTopic()).isEqualTo("in");
        assertThat(changed.bootstrapServers()).isEqualTo("k:9092");
    }

    @Test
    void asMapReadsBackAsTheSameConfiguration() {
        RollcallConfig config = RollcallConfig.of(Map.of("rollcall.window.size", "5m", "rollcall.api.token", TOKEN,
                "rollcall.rocksdb.tuning", "streams-default", "linger.ms", "5"));
        assertThat(RollcallConfig.of(config.asMap())).isEqualTo(config);
    }

    @Test
    void reportsUnknownRollcallSettings() {
        assertThatThrownBy(() -> RollcallConfig.of(Map.of("rollcall.windw.size", "1m")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown setting(s) [rollcall.windw.size]");
    }

    @Test
    void environmentVariablesNameSettingsWithUnderscoresForDotsAndHyphens() {
        assertThat(RollcallConfig.fromEnvironment(Map.of(
                "ROLLCALL_WINDOW_SIZE", "2m",
                "ROLLCALL_TOPIC_DEAD_LETTER", "dlq",
                "ROLLCALL_HTTP_TLS_KEYSTORE_PASSWORD", "changeit",
                "KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "PATH", "/usr/bin")))
                .containsOnly(
                        Map.entry("rollcall.window.size", "2m"),
                        Map.entry("rollcall.topic.dead-letter", "dlq"),
                        Map.entry("rollcall.http.tls.keystore-password", "changeit"),
                        Map.entry("bootstrap.servers", "k:9092"));
    }

    @Test
    void everySettingCanBeSetFromTheEnvironment() {
        assertThat(RollcallConfig.DEFAULTS.keySet()).allSatisfy(key ->
                assertThat(RollcallConfig.fromEnvironment(Map.of(RollcallSettings.environmentVariable(key), "v")))
                        .containsOnly(Map.entry(key, "v")));
    }

    @Test
    void launcherVariablesAreNotSettings() {
        assertThat(RollcallConfig.fromEnvironment(Map.of("ROLLCALL_CONFIG", "/etc/rollcall.properties",
                "ROLLCALL_LOG_LEVEL", "DEBUG", "KAFKA_LOG_LEVEL", "INFO"))).isEmpty();
    }

    @Test
    void environmentOverridesTheFile() throws Exception {
        Path file = dir.resolve("rollcall.properties");
        Files.writeString(file, """
                rollcall.window.size=5m
                rollcall.topic.events=from-file
                bootstrap.servers=file:9092
                """);
        RollcallConfig config = RollcallConfig.load(file, Map.of(
                "ROLLCALL_TOPIC_EVENTS", "from-env",
                "KAFKA_BOOTSTRAP_SERVERS", "env:9092"));

        assertThat(config.windowSize()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.eventsTopic()).isEqualTo("from-env");
        assertThat(config.bootstrapServers()).isEqualTo("env:9092");
    }

    @Test
    void kafkaSettingsPassThroughUnchanged() {
        RollcallConfig config = RollcallConfig.of(Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "num.stream.threads", "2"));
        assertThat(config.kafka()).containsOnly(
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("num.stream.threads", "2"));
    }

    @Test
    void unknownRollcallEnvironmentVariablesAreIgnoredNotFatal() {
        RollcallConfig config = RollcallConfig.load(null, Map.of("ROLLCALL_HOME", "/opt/rollcall",
                "ROLLCALL_LOG_LEVEL", "DEBUG", "ROLLCALL_WINDOW_SIZE", "2m"));
        assertThat(config.windowSize()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.asMap()).doesNotContainKeys("rollcall.home", "rollcall.log.level");
    }

    @Test
    void secretsAreHiddenWhenTheConfigurationIsPrinted() throws Exception {
        Path keystore = Files.writeString(dir.resolve("key.p12"), "");
        RollcallConfig config = RollcallConfig.load(null, Map.of(
                "ROLLCALL_API_TOKEN", TOKEN,
                "ROLLCALL_HTTP_TLS_KEYSTORE", keystore.toString(),
                "ROLLCALL_HTTP_TLS_KEYSTORE_PASSWORD", "k3yst0re-value",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"u\" password=\"hunter2\";"));
        assertThat(config.toString())
                .doesNotContain(TOKEN).doesNotContain("k3yst0re-value").doesNotContain("hunter2")
                .contains("rollcall.api.token=[hidden]", "rollcall.http.tls.keystore-password=[hidden]",
                        "sasl.jaas.config=[hidden]")
                .contains("rollcall.http.tls.keystore=" + keystore);
    }

    @Test
    void registryCredentialsAreHiddenWhenTheConfigurationIsPrinted() {
        RollcallConfig config = RollcallConfig.of(Map.of(
                "schema.registry.url", "https://rollcall:pa55word@registry-1:8081,https://registry-2:8081",
                "basic.auth.credentials.source", "URL",
                "schema.registry.ssl.truststore.password", "tru5t-value"));

        assertThat(config.toString()).doesNotContain("pa55word").doesNotContain("tru5t-value")
                .contains("schema.registry.url=https://[hidden]@registry-1:8081,https://registry-2:8081",
                        "schema.registry.ssl.truststore.password=[hidden]");
    }

    @Test
    void aPublishedTopicNeedsARegistry() {
        assertThatThrownBy(() -> RollcallConfig.of(Map.of("rollcall.registry.publish", "aggregates")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("rollcall.registry.publish=aggregates needs a schema registry: set schema.registry.url");
    }

    @Test
    void onlyAggregatesAndVerdictsCanBePublished() {
        assertThatThrownBy(() -> RollcallConfig.of(Map.of("schema.registry.url", "http://registry:8081",
                "rollcall.registry.publish", "aggregates,events")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'events' is not one of aggregates, verdicts");
    }

    @Test
    void missingBootstrapServersIsAClearError() {
        assertThatThrownBy(() -> RollcallConfig.of(Map.of()).bootstrapServers())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.servers");
    }
}
