package io.rollcall.config;

import static io.rollcall.config.Validators.notEmpty;
import static io.rollcall.config.Validators.notNegativeDuration;
import static io.rollcall.config.Validators.oneOf;
import static io.rollcall.config.Validators.port;
import static io.rollcall.config.Validators.positiveDuration;
import static io.rollcall.config.Validators.positiveInt;
import static io.rollcall.config.Validators.readableFileOrEmpty;
import static io.rollcall.config.Validators.secretOrEmpty;
import static io.rollcall.config.Validators.subsetOf;
import static io.rollcall.config.Validators.urlsOrEmpty;
import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.PASSWORD;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * Every {@code rollcall.*} setting, declared once: name, type, default, validator, importance
 * and documentation, in the groups of the configuration reference ({@link ConfigReference}).
 * {@link RollcallConfig} reads the parsed values into typed fields and checks what spans
 * settings; defaults, the environment variable names and the reference all derive from here.
 */
public final class RollcallSettings {

    public static final String APPLICATION_ID = "rollcall.application.id";
    public static final String STATE_DIR = "rollcall.state.dir";
    public static final String TOPIC_EVENTS = "rollcall.topic.events";
    public static final String TOPIC_AGGREGATES = "rollcall.topic.aggregates";
    public static final String TOPIC_DEAD_LETTER = "rollcall.topic.dead-letter";
    public static final String TOPIC_ROLLOUTS = "rollcall.topic.rollouts";
    public static final String TOPIC_VERDICTS = "rollcall.topic.verdicts";
    public static final String WINDOW_SIZE = "rollcall.window.size";
    public static final String WINDOW_GRACE = "rollcall.window.grace";
    public static final String WINDOW_RETENTION = "rollcall.window.retention";
    public static final String EVENT_MAX_BYTES = "rollcall.event.max-bytes";
    public static final String EVENT_MAX_LABELS = "rollcall.event.max-labels";
    public static final String EVENT_MAX_FUTURE = "rollcall.event.max-future";
    public static final String ROLLOUT_GRACE = "rollcall.rollout.grace";
    public static final String ROLLOUT_TICK = "rollcall.rollout.tick";
    public static final String ROLLOUT_IDLE = "rollcall.rollout.idle";
    public static final String ROLLOUT_HISTORY = "rollcall.rollout.history";
    public static final String HTTP_HOST = "rollcall.http.host";
    public static final String HTTP_PORT = "rollcall.http.port";
    public static final String HTTP_ADVERTISED_HOST = "rollcall.http.advertised-host";
    public static final String HTTP_FORWARD_TIMEOUT = "rollcall.http.forward-timeout";
    public static final String API_TOKEN = "rollcall.api.token";
    public static final String TLS_KEYSTORE = "rollcall.http.tls.keystore";
    public static final String TLS_KEYSTORE_PASSWORD = "rollcall.http.tls.keystore-password";
    public static final String TLS_TRUSTSTORE = "rollcall.http.tls.truststore";
    public static final String TLS_TRUSTSTORE_PASSWORD = "rollcall.http.tls.truststore-password";
    public static final String REGISTRY_URL = "schema.registry.url";
    public static final String REGISTRY_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String REGISTRY_USER_INFO = "basic.auth.user.info";
    public static final String REGISTRY_TRUSTSTORE = "schema.registry.ssl.truststore.location";
    public static final String REGISTRY_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String REGISTRY_TIMEOUT = "rollcall.registry.timeout";
    public static final String REGISTRY_UNKNOWN_TTL = "rollcall.registry.unknown-ttl";
    public static final String REGISTRY_MAX_SCHEMAS = "rollcall.registry.max-schemas";
    public static final String REGISTRY_RETRY_MAX = "rollcall.registry.retry-max";
    public static final String REGISTRY_PUBLISH = "rollcall.registry.publish";
    /** The topics {@link #REGISTRY_PUBLISH} can name. */
    public static final String PUBLISH_AGGREGATES = "aggregates";
    public static final String PUBLISH_VERDICTS = "verdicts";
    /** The settings named as schema-registry clients name them rather than {@code rollcall.*}, so users' values carry over. */
    static final java.util.Set<String> CLIENT_NAMED = java.util.Set.of(REGISTRY_URL, REGISTRY_CREDENTIALS_SOURCE,
            REGISTRY_USER_INFO, REGISTRY_TRUSTSTORE, REGISTRY_TRUSTSTORE_PASSWORD);

    public static final String STORE_CACHED_AGGREGATES = "rollcall.store.cached-aggregates";
    public static final String ROCKSDB_TUNING = "rollcall.rocksdb.tuning";
    public static final String ROCKSDB_MEMORY_MB = "rollcall.rocksdb.memory-mb";
    public static final String ROCKSDB_WRITE_BUFFER_MB = "rollcall.rocksdb.write-buffer-mb";
    public static final String ROCKSDB_COMPRESSION = "rollcall.rocksdb.compression";

    /** Shortest API token accepted: long enough that guessing it is hopeless. */
    static final int MIN_TOKEN_LENGTH = 16;

    /** Package-private: a {@link ConfigDef} is mutable; others get a copy from {@link #configDef()}. */
    static final ConfigDef CONFIG = new Declaration()
            .group("Application")
            .define(APPLICATION_ID, STRING, "rollcall", notEmpty(), HIGH,
                    "Kafka Streams `application.id`: the consumer group and the prefix of internal topics.")
            .define(STATE_DIR, STRING, System.getProperty("java.io.tmpdir") + "/rollcall-state", notEmpty(), HIGH,
                    "RocksDB state; put it on a persistent volume in production.",
                    "`${java.io.tmpdir}/rollcall-state`")

            .group("Topics")
            .define(TOPIC_EVENTS, STRING, "metric-events", notEmpty(), HIGH,
                    "Input; must exist. Its partition count fixes the single-writer mapping.")
            .define(TOPIC_AGGREGATES, STRING, "metric-aggregates", notEmpty(), HIGH,
                    "Compacted output of all-time aggregates.")
            .define(TOPIC_DEAD_LETTER, STRING, "metric-events-dlq", notEmpty(), HIGH,
                    "Records that break the contract, byte for byte, with the reason in headers.")
            .define(TOPIC_ROLLOUTS, STRING, "rollouts", notEmpty(), MEDIUM,
                    "Compacted topic of `RolloutSpec`s, keyed by service.")
            .define(TOPIC_VERDICTS, STRING, "rollout-verdicts", notEmpty(), MEDIUM,
                    "Where rollout verdicts are published, keyed by service.")

            .group("Windows and limits")
            .define(WINDOW_SIZE, STRING, "1m", positiveDuration(), HIGH, "Tumbling window size.")
            .define(WINDOW_GRACE, STRING, "30s", notNegativeDuration(), MEDIUM,
                    "How late an event may arrive and still count in its window.")
            .define(WINDOW_RETENTION, STRING, "1h", positiveDuration(), MEDIUM,
                    "How long windows stay queryable; at least window size + grace.")
            .define(EVENT_MAX_BYTES, INT, 65536, positiveInt(), MEDIUM,
                    "Larger values are dead-lettered as `too-large`.")
            .define(EVENT_MAX_LABELS, INT, 64, positiveInt(), LOW,
                    "Events with more labels are dead-lettered.")
            .define(EVENT_MAX_FUTURE, STRING, "1h", notNegativeDuration(), LOW,
                    "Events stamped further ahead of the instance's clock are dead-lettered.")

            .group("Rollouts")
            .define(ROLLOUT_GRACE, STRING, "1s", notNegativeDuration(), MEDIUM,
                    "How far past its end, in event time on every partition of the events topic, the stream "
                            + "must be before an analysis window is judged; samples out of order by up to this much "
                            + "still count.")
            .define(ROLLOUT_TICK, STRING, "100ms", positiveDuration(), LOW,
                    "How often (wall clock) the progress of each partition of the events topic is checked, "
                            + "windows are checked for closing and specs re-read; a new spec takes effect within "
                            + "one tick.")
            .define(ROLLOUT_IDLE, STRING, "1s", positiveDuration(), LOW,
                    "A partition of the events topic that delivers no event for this long counts as caught up: "
                            + "its event time then follows the wall clock, this much behind, so a quiet partition "
                            + "does not hold analysis windows open.")
            .define(ROLLOUT_HISTORY, INT, 1000, positiveInt(), LOW,
                    "Verdicts kept per service for `GET /api/v1/rollouts/{service}/verdicts` "
                            + "(all of them stay on the topic).")

            .group("HTTP")
            .define(HTTP_HOST, STRING, "0.0.0.0", notEmpty(), MEDIUM, "Address the HTTP server binds.")
            .define(HTTP_PORT, INT, 8080, port(), HIGH, "HTTP port; `0` picks any free port.")
            .define(HTTP_ADVERTISED_HOST, STRING, "localhost", notEmpty(), HIGH,
                    "How other instances reach this one (the pod's DNS name in Kubernetes); "
                            + "with the bound port it becomes `application.server`.")
            .define(HTTP_FORWARD_TIMEOUT, STRING, "2s", positiveDuration(), LOW,
                    "Bound on a read forwarded to the instance that owns the key.")
            .define(API_TOKEN, PASSWORD, "", secretOrEmpty(MIN_TOKEN_LENGTH), HIGH,
                    "Bearer token for `PUT`/`DELETE /api/v1/rollouts/…` (e.g. `openssl rand -hex 24`); "
                            + "never logged or exposed in `/metrics`.",
                    "none: writes disabled")

            .group("HTTPS")
            .define(TLS_KEYSTORE, STRING, "", readableFileOrEmpty(), HIGH,
                    "PKCS12 key store with this instance's key and certificate; when set, the port serves HTTPS only.",
                    "none: plain HTTP")
            .define(TLS_KEYSTORE_PASSWORD, PASSWORD, "", null, HIGH, "Password of the key store.", "none")
            .define(TLS_TRUSTSTORE, STRING, "", readableFileOrEmpty(), MEDIUM,
                    "PKCS12 trust store for requests forwarded to other instances over HTTPS; needs a key store.",
                    "none: the JVM's trust store")
            .define(TLS_TRUSTSTORE_PASSWORD, PASSWORD, "", null, MEDIUM, "Password of the trust store.", "none")

            .group("Schema registry")
            .define(REGISTRY_URL, STRING, "", urlsOrEmpty(), HIGH,
                    "Base URLs of a schema registry's Confluent-compatible API, tried in turn (Confluent Schema "
                            + "Registry, Apicurio Registry's `/apis/ccompat/v7`, Karapace, Redpanda). Needed to read "
                            + "values in the Confluent wire format; without it they are dead-lettered as "
                            + "`unknown-schema`.",
                    "none")
            .define(REGISTRY_CREDENTIALS_SOURCE, STRING, "USER_INFO", oneOf("USER_INFO", "URL"), MEDIUM,
                    "Where basic-auth credentials for the registry come from: `USER_INFO` (`"
                            + "basic.auth.user.info`) or `URL` (the `user:password@` part of the URLs).")
            .define(REGISTRY_USER_INFO, PASSWORD, "", null, MEDIUM,
                    "`user:password` for the registry's basic auth; never logged or exposed in `/metrics`.", "none")
            .define(REGISTRY_TRUSTSTORE, STRING, "", readableFileOrEmpty(), MEDIUM,
                    "PKCS12 trust store for an `https://` registry.", "none: the JVM's trust store")
            .define(REGISTRY_TRUSTSTORE_PASSWORD, PASSWORD, "", null, MEDIUM, "Password of that trust store.", "none")
            .define(REGISTRY_TIMEOUT, STRING, "5s", positiveDuration(), LOW,
                    "Bound on one request to one registry URL.")
            .define(REGISTRY_UNKNOWN_TTL, STRING, "1m", notNegativeDuration(), LOW,
                    "How long an id the registry said it does not have is remembered as unknown before it is "
                            + "asked again (ids it has are kept: a registry never changes them).")
            .define(REGISTRY_MAX_SCHEMAS, INT, 1000, positiveInt(), LOW,
                    "Writer schemas (and unknown ids) kept per instance; beyond that the least recently used "
                            + "are dropped and asked for again when a record needs them.")
            .define(REGISTRY_PUBLISH, STRING, "", subsetOf(PUBLISH_AGGREGATES, PUBLISH_VERDICTS), MEDIUM,
                    "Output topics written in the Confluent wire format rather than single-object encoding: "
                            + "`aggregates` (`rollcall.topic.aggregates`), `verdicts` (`rollcall.topic.verdicts`), "
                            + "both, or none. Their schemas are registered under `<topic>-value` at start-up, so "
                            + "registry-aware Avro converters and deserializers read them.")
            .define(REGISTRY_RETRY_MAX, STRING, "30s", positiveDuration(), LOW,
                    "Longest wait between attempts while the registry cannot be asked: a stream thread that needed "
                            + "it stops, waits 1 s, 2 s, 4 s … up to this, and resumes from its last commit; no "
                            + "record is dead-lettered for it.")

            .group("State stores")
            .define(STORE_CACHED_AGGREGATES, INT, 10000, positiveInt(), LOW,
                    "Series kept as objects per task (all-time aggregate and newest window) until the commit "
                            + "flushes them (pending ones beyond this are flushed early), and as many recently used.")
            .define(ROCKSDB_TUNING, STRING, "bounded", oneOf("bounded", "streams-default"), MEDIUM,
                    "`bounded`: every store gets the RocksDB settings below (`io.rollcall.store.RocksDbTuning`); "
                            + "`streams-default`: Kafka Streams' own RocksDB defaults.")
            .define(ROCKSDB_MEMORY_MB, INT, 256, positiveInt(), MEDIUM,
                    "Off-heap bound of one instance: one LRU block cache shared by all stores, tasks and window "
                            + "segments, memtables charged to it (at most half).")
            .define(ROCKSDB_WRITE_BUFFER_MB, INT, 16, positiveInt(), LOW,
                    "Memtable size per store (two at most per store); two of them must fit in "
                            + "`" + ROCKSDB_MEMORY_MB + "`.")
            .define(ROCKSDB_COMPRESSION, STRING, "lz4", oneOf("none", "lz4", "zstd", "snappy"), LOW,
                    "SST file compression.")
            .build();

    /** Environment variables read by the launcher or the logging, not settings: name and meaning. */
    static final Map<String, String> OTHER_VARIABLES = orderedMap(
            "ROLLCALL_CONFIG", "the properties file, when `--config` is not given",
            "ROLLCALL_CDS_DIR", "where the launcher keeps the class data sharing archive that shortens a start "
                    + "(default `~/.cache/rollcall`, in the image `/var/lib/rollcall/cds`; empty: none)",
            "ROLLCALL_LOG_LEVEL", "level of rollcall's own loggers (default `INFO`)",
            "ROLLCALL_LOG_FORMAT", "`console` (default): one readable line per event; `json`: one JSON object per "
                    + "line, with context fields such as `rolloutId` (see operations.md, Logs)",
            "KAFKA_LOG_LEVEL", "level of the Kafka client and Streams loggers (default `WARN`)");

    private static final Map<String, String> KEY_BY_VARIABLE = variables();

    private RollcallSettings() {
    }

    /** A copy of the declaration, as Kafka's {@code StreamsConfig.configDef()} hands out its own. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** Every setting with its default, as text. */
    static Map<String, String> defaults() {
        Map<String, String> defaults = new TreeMap<>();
        CONFIG.configKeys().values().forEach(key -> defaults.put(key.name, text(key.defaultValue)));
        return Collections.unmodifiableMap(defaults);
    }

    /** The environment variable that sets {@code key}: upper case, dots and hyphens as underscores. */
    public static String environmentVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The setting a {@code ROLLCALL_*} variable sets; for no declared setting, the variable spelt as a key. */
    static String keyOf(String variable) {
        String key = KEY_BY_VARIABLE.get(variable.toUpperCase(Locale.ROOT));
        return key != null ? key : variable.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** Whether {@code variable} is the environment variable of a declared setting ({@code SCHEMA_REGISTRY_URL}). */
    static boolean declaresVariable(String variable) {
        return KEY_BY_VARIABLE.containsKey(variable);
    }

    /** Whether {@code key} is a declared setting whose value is never shown. */
    static boolean isPassword(String key) {
        ConfigDef.ConfigKey declared = CONFIG.configKeys().get(key);
        return declared != null && declared.type == PASSWORD;
    }

    /**
     * Every declared setting from {@code given}, or its default, parsed and validated one by one;
     * keys that are not declared are ignored.
     *
     * @throws ConfigException naming the first setting that is invalid
     */
    static Values parse(Map<String, String> given) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigDef.ConfigKey key : CONFIG.configKeys().values()) {
            Object raw = given.containsKey(key.name) ? given.get(key.name) : key.defaultValue;
            Object value;
            try {
                value = ConfigDef.parseType(key.name, raw, key.type);
            } catch (org.apache.kafka.common.config.ConfigException e) {
                throw new ConfigException(key.name + ": must be " + (key.type == INT ? "an integer" : key.type)
                        + ", got '" + raw + "'");
            }
            try {
                if (key.validator != null) {
                    key.validator.ensureValid(key.name, value);
                }
            } catch (org.apache.kafka.common.config.ConfigException e) {
                String message = e.getMessage();
                throw new ConfigException(message.startsWith(key.name + ":") ? message : key.name + ": " + message);
            }
            values.put(key.name, value);
        }
        return new Values(values);
    }

    /** Parsed, valid values of every declared setting, read by type. */
    record Values(Map<String, Object> parsed) {

        String string(String key) {
            return text(parsed.get(key));
        }

        int integer(String key) {
            return (Integer) parsed.get(key);
        }

        Duration duration(String key) {
            return Durations.parse(key, string(key));
        }

        /** The value, or null when empty: the setting is off. */
        String optional(String key) {
            String value = string(key);
            return value.isEmpty() ? null : value;
        }

        Path optionalPath(String key) {
            String value = optional(key);
            return value == null ? null : Path.of(value);
        }

        /** Every value as text, secrets included: what {@link RollcallConfig#asMap()} shows. */
        Map<String, String> texts() {
            Map<String, String> texts = new TreeMap<>();
            parsed.forEach((key, value) -> texts.put(key, text(value)));
            return texts;
        }
    }

    private static String text(Object value) {
        return value instanceof Password password ? password.value() : String.valueOf(value);
    }

    private static Map<String, String> variables() {
        Map<String, String> byVariable = new TreeMap<>();
        CONFIG.names().forEach(key -> byVariable.put(environmentVariable(key), key));
        return Collections.unmodifiableMap(byVariable);
    }

    private static Map<String, String> orderedMap(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** Builds the {@link ConfigDef}: each setting in the group declared before it, in order. */
    private static final class Declaration {
        private final ConfigDef config = new ConfigDef();
        private String group;
        private int order;

        Declaration group(String name) {
            group = name;
            order = 0;
            return this;
        }

        Declaration define(String name, ConfigDef.Type type, Object defaultValue, ConfigDef.Validator validator,
                           ConfigDef.Importance importance, String doc) {
            return define(name, type, defaultValue, validator, importance, doc, null);
        }

        /** {@code shownDefault}: the default as the reference prints it, when the value itself would mislead. */
        Declaration define(String name, ConfigDef.Type type, Object defaultValue, ConfigDef.Validator validator,
                           ConfigDef.Importance importance, String doc, String shownDefault) {
            config.define(name, type, defaultValue, validator, importance, doc, group, ++order, ConfigDef.Width.NONE,
                    name, List.of(), null, shownDefault);
            return this;
        }

        ConfigDef build() {
            return config;
        }
    }
}
