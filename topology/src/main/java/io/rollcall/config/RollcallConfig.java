package io.rollcall.config;

import static io.rollcall.config.RollcallSettings.*;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole configuration, parsed and validated once at start-up. Each {@code rollcall.*}
 * setting is declared in {@link RollcallSettings}; this record holds the parsed values and
 * checks what spans settings.
 *
 * <p>Sources, later ones winning: built-in defaults, a properties file, environment
 * variables. {@code rollcall.*} settings are ours; every other key is a Kafka client or
 * Kafka Streams setting and passes through unchanged (security settings included). In the
 * environment, {@code ROLLCALL_WINDOW_SIZE} sets {@code rollcall.window.size} and
 * {@code KAFKA_BOOTSTRAP_SERVERS} sets {@code bootstrap.servers}.
 *
 * @param httpPort       0 picks a free port (tests); the bound port is what instances advertise
 * @param advertisedHost how other instances reach this one (a pod's DNS name in Kubernetes)
 * @param forwardTimeout bound on a request forwarded to the instance that owns a key
 * @param settings       every {@code rollcall.*} setting as text, as given or defaulted: what {@link #asMap()}
 *                       and {@link #with(Map)} start from
 * @param kafka          Kafka client and Streams settings, passed through unchanged
 */
public record RollcallConfig(
        String applicationId,
        String eventsTopic,
        String aggregatesTopic,
        String deadLetterTopic,
        Duration windowSize,
        Duration windowGrace,
        Duration windowRetention,
        int maxEventBytes,
        int maxLabels,
        Duration maxFuture,
        Path stateDir,
        String httpHost,
        int httpPort,
        String advertisedHost,
        Duration forwardTimeout,
        Rollouts rollouts,
        String apiToken,
        Tls tls,
        Registry registry,
        Storage storage,
        Map<String, String> settings,
        Map<String, String> kafka) {

    /**
     * TLS of the HTTP port; null when serving plain HTTP.
     *
     * @param keystore           PKCS12 file with this instance's key and certificate
     * @param truststore         PKCS12 file with the certificates to trust when forwarding to
     *                           other instances; null: the JVM's default trust store
     */
    public record Tls(Path keystore, String keystorePassword, Path truststore, String truststorePassword) {
        @Override
        public String toString() {
            return "Tls[keystore=" + keystore + ", truststore=" + truststore + "]";
        }
    }

    /**
     * The schema registry that writer schemas of Confluent-framed values come from; null when
     * none is configured.
     *
     * @param urls       base URLs of its Confluent-compatible API, tried in turn
     * @param userInfo   {@code user:password} for basic auth
     * @param truststore PKCS12 trust store for {@code https://}; null: the JVM's
     * @param timeout    bound on one request to one URL
     * @param unknownTtl how long an id the registry does not have is remembered as unknown
     * @param maxSchemas writer schemas (and unknown ids) kept
     * @param retryMax   longest wait between attempts while the registry cannot be asked
     * @param publish    output topics written in the Confluent wire format: {@code aggregates}, {@code verdicts}
     */
    public record Registry(List<URI> urls, Optional<String> userInfo, Path truststore,
                           String truststorePassword, Duration timeout, Duration unknownTtl, int maxSchemas,
                           Duration retryMax, Set<String> publish) {
        public Registry {
            urls = List.copyOf(urls);
            publish = Set.copyOf(publish);
        }

        public boolean publishesAggregates() {
            return publish.contains(PUBLISH_AGGREGATES);
        }

        public boolean publishesVerdicts() {
            return publish.contains(PUBLISH_VERDICTS);
        }

        @Override
        public String toString() {
            return "Registry[urls=" + urls + ", basic auth=" + userInfo.isPresent() + ", truststore=" + truststore + "]";
        }
    }

    /**
     * Settings of the rollout judge.
     *
     * @param specsTopic    compacted topic of {@code RolloutSpec}s, keyed by service
     * @param verdictsTopic topic the verdicts are published to, keyed by service
     * @param grace         how long after its end a window still takes samples before it is judged
     * @param tick          how often windows are checked for closing (wall-clock time)
     * @param idle          how long a partition of the events topic delivers nothing before its event time
     *                      follows the wall clock (this much behind)
     * @param history       verdicts kept per service for {@code GET /api/v1/rollouts/{service}/verdicts}
     */
    public record Rollouts(String specsTopic, String verdictsTopic, Duration grace, Duration tick, Duration idle,
                           int history) {
    }

    /**
     * How the aggregate stores cache between commits.
     *
     * @param cachedAggregates aggregates kept as objects per store and task until the commit
     *                         flushes them ({@code io.rollcall.store})
     * @param rocksDb          RocksDB tuning; null: Kafka Streams' RocksDB defaults
     */
    public record Storage(int cachedAggregates, RocksDb rocksDb) {
    }

    /**
     * RocksDB settings applied by {@code io.rollcall.store.RocksDbTuning} to every store.
     *
     * @param memoryMb      off-heap bound of the instance: one block cache shared by all stores, memtables charged to it
     * @param writeBufferMb memtable size per store (two at most per store)
     * @param compression   SST compression: none, lz4, zstd or snappy
     */
    public record RocksDb(int memoryMb, int writeBufferMb, String compression) {
    }

    public static final String PREFIX = "rollcall.";
    private static final Logger LOG = LoggerFactory.getLogger(RollcallConfig.class);

    /** Every rollcall setting with its default, from {@link RollcallSettings}. */
    public static final Map<String, String> DEFAULTS = RollcallSettings.defaults();

    /** Variables that configure the launcher or logging, not the application. */
    public static final Set<String> NOT_SETTINGS = RollcallSettings.OTHER_VARIABLES.keySet();

    public RollcallConfig {
        settings = Collections.unmodifiableMap(new TreeMap<>(settings));
        kafka = Collections.unmodifiableMap(new TreeMap<>(kafka));
    }

    /** Defaults overridden by {@code settings} (rollcall.* and Kafka keys mixed). */
    public static RollcallConfig of(Map<String, String> settings) {
        return parse(settings);
    }

    /**
     * Defaults, then the file (if given), then the environment. An unknown {@code rollcall.*}
     * key in the file is an error (a typo would otherwise be silently ignored); an unknown
     * {@code ROLLCALL_*} variable is reported as a warning, since environments carry
     * variables meant for other programs.
     */
    public static RollcallConfig load(Path file, Map<String, String> environment) {
        Map<String, String> all = new HashMap<>();
        if (file != null) {
            all.putAll(readFile(file));
        }
        fromEnvironment(environment).forEach((key, value) -> {
            if (key.startsWith(PREFIX) && !DEFAULTS.containsKey(key)) {
                LOG.warn("ignoring environment variable {}: no setting {} (known: {})",
                        RollcallSettings.environmentVariable(key), key, DEFAULTS.keySet());
            } else {
                all.put(key, value);
            }
        });
        return parse(all);
    }

    /**
     * Maps {@code ROLLCALL_X_Y} to the setting it names ({@code ROLLCALL_TOPIC_DEAD_LETTER} to
     * {@code rollcall.topic.dead-letter}: the environment cannot say '-') and {@code KAFKA_X_Y} to {@code x.y}.
     */
    public static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> out = new HashMap<>();
        environment.forEach((name, value) -> {
            if (NOT_SETTINGS.contains(name)) {
                return;
            }
            if (name.startsWith("ROLLCALL_") || RollcallSettings.declaresVariable(name)) {
                out.put(RollcallSettings.keyOf(name), value);
            } else if (name.startsWith("KAFKA_")) {
                out.put(name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return out;
    }

    private static Map<String, String> readFile(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, String> out = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> out.put(name, properties.getProperty(name).strip()));
        return out;
    }

    private static RollcallConfig parse(Map<String, String> all) {
        Set<String> unknown = new TreeSet<>();
        Map<String, String> kafka = new TreeMap<>();
        all.forEach((key, value) -> {
            if (!key.startsWith(PREFIX)) {
                if (!DEFAULTS.containsKey(key)) {
                    kafka.put(key, value);
                }
            } else if (!DEFAULTS.containsKey(key)) {
                unknown.add(key);
            }
        });
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown setting(s) " + unknown + "; known: " + DEFAULTS.keySet());
        }
        RollcallSettings.Values values = RollcallSettings.parse(all);
        Duration size = values.duration(WINDOW_SIZE);
        Duration grace = values.duration(WINDOW_GRACE);
        Duration retention = values.duration(WINDOW_RETENTION);
        if (retention.compareTo(size.plus(grace)) < 0) {
            throw new ConfigException(WINDOW_RETENTION + ": must be at least " + WINDOW_SIZE + " + " + WINDOW_GRACE
                    + " (" + size.plus(grace) + "), got " + retention);
        }
        return new RollcallConfig(
                values.string(APPLICATION_ID),
                values.string(TOPIC_EVENTS),
                values.string(TOPIC_AGGREGATES),
                values.string(TOPIC_DEAD_LETTER),
                size, grace, retention,
                values.integer(EVENT_MAX_BYTES),
                values.integer(EVENT_MAX_LABELS),
                values.duration(EVENT_MAX_FUTURE),
                Path.of(values.string(STATE_DIR)),
                values.string(HTTP_HOST),
                values.integer(HTTP_PORT),
                values.string(HTTP_ADVERTISED_HOST),
                values.duration(HTTP_FORWARD_TIMEOUT),
                new Rollouts(
                        values.string(TOPIC_ROLLOUTS),
                        values.string(TOPIC_VERDICTS),
                        values.duration(ROLLOUT_GRACE),
                        values.duration(ROLLOUT_TICK),
                        values.duration(ROLLOUT_IDLE),
                        values.integer(ROLLOUT_HISTORY)),
                values.optional(API_TOKEN),
                tls(values),
                registry(values),
                new Storage(values.integer(STORE_CACHED_AGGREGATES), rocksDb(values)),
                values.texts(),
                kafka);
    }

    /** This config with some settings replaced; validation runs again. */
    public RollcallConfig with(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(asMap());
        all.putAll(overrides);
        return parse(all);
    }

    /** Every setting, rollcall.* and Kafka, as strings. */
    public Map<String, String> asMap() {
        Map<String, String> all = new TreeMap<>(kafka);
        all.putAll(settings);
        return all;
    }

    /** The Kafka settings, for a client. */
    public Properties kafkaProperties() {
        Properties properties = new Properties();
        properties.putAll(kafka);
        return properties;
    }

    public String bootstrapServers() {
        String servers = kafka.get("bootstrap.servers");
        if (servers == null || servers.isBlank()) {
            throw new ConfigException("bootstrap.servers: not set; set it in the config file or as KAFKA_BOOTSTRAP_SERVERS");
        }
        return servers;
    }

    /** Settings whose values must never be printed: rollcall's passwords, and Kafka's by their names. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return RollcallSettings.isPassword(key)
                || List.of("password", "secret", "jaas", "token", "credentials").stream().anyMatch(k::contains);
    }

    /** The settings with secrets masked: records print every field, and tokens must never reach a log. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        asMap().forEach((key, value) -> shown.put(key, isSecret(key) && !value.isEmpty() ? "[hidden]"
                // Registry URLs may carry user:password@ (basic.auth.credentials.source=URL).
                : key.equals(REGISTRY_URL) ? value.replaceAll("//[^/@,]*@", "//[hidden]@") : value));
        return "RollcallConfig" + shown;
    }

    private static Tls tls(RollcallSettings.Values values) {
        Path keystore = values.optionalPath(TLS_KEYSTORE);
        Path truststore = values.optionalPath(TLS_TRUSTSTORE);
        if (keystore == null) {
            if (truststore != null) {
                throw new ConfigException(TLS_TRUSTSTORE + ": set, but " + TLS_KEYSTORE + " is not; "
                        + "TLS needs this instance's own key and certificate");
            }
            return null;
        }
        return new Tls(keystore, values.string(TLS_KEYSTORE_PASSWORD), truststore,
                values.string(TLS_TRUSTSTORE_PASSWORD));
    }

    private static Registry registry(RollcallSettings.Values values) {
        String urls = values.string(REGISTRY_URL).strip();
        String userInfo = values.string(REGISTRY_USER_INFO);
        List<String> publish = Validators.names(values.string(REGISTRY_PUBLISH));
        if (urls.isEmpty()) {
            if (!userInfo.isEmpty()) {
                throw new ConfigException(REGISTRY_USER_INFO + ": set, but " + REGISTRY_URL + " is not");
            }
            if (!publish.isEmpty()) {
                throw new ConfigException(REGISTRY_PUBLISH + "=" + String.join(",", publish) + " needs a schema registry: set "
                        + REGISTRY_URL);
            }
            return null;
        }
        List<URI> parsed = new ArrayList<>();
        Optional<String> credentials = userInfo.isEmpty() ? Optional.empty()
                : Optional.of(userInfo);
        boolean fromUrl = values.string(REGISTRY_CREDENTIALS_SOURCE).equalsIgnoreCase("URL");
        for (String url : urls.split(",")) {
            URI uri = URI.create(url.strip());
            if (fromUrl && uri.getRawUserInfo() != null) {
                credentials = Optional.of(URLDecoder.decode(uri.getRawUserInfo(),
                        StandardCharsets.UTF_8));
            }
            // The credentials never stay in a URL that may be logged.
            parsed.add(URI.create(uri.getScheme() + "://" + uri.getRawAuthority().replaceFirst("^.*@", "")
                    + (uri.getRawPath() == null ? "" : uri.getRawPath())));
        }
        if (fromUrl && credentials.isEmpty()) {
            throw new ConfigException(REGISTRY_CREDENTIALS_SOURCE + ": URL, but no URL in " + REGISTRY_URL
                    + " has a user:password@ part");
        }
        return new Registry(parsed, credentials, values.optionalPath(REGISTRY_TRUSTSTORE),
                values.string(REGISTRY_TRUSTSTORE_PASSWORD), values.duration(REGISTRY_TIMEOUT),
                values.duration(REGISTRY_UNKNOWN_TTL), values.integer(REGISTRY_MAX_SCHEMAS),
                values.duration(REGISTRY_RETRY_MAX), Set.copyOf(publish));
    }

    private static RocksDb rocksDb(RollcallSettings.Values values) {
        int memory = values.integer(ROCKSDB_MEMORY_MB);
        int writeBuffer = values.integer(ROCKSDB_WRITE_BUFFER_MB);
        if (2L * writeBuffer > memory) {
            throw new ConfigException(ROCKSDB_WRITE_BUFFER_MB + ": two memtables (" + 2L * writeBuffer
                    + " MB) must fit in " + ROCKSDB_MEMORY_MB + " (" + memory + " MB)");
        }
        if (values.string(ROCKSDB_TUNING).equalsIgnoreCase("streams-default")) {
            return null;
        }
        return new RocksDb(memory, writeBuffer, values.string(ROCKSDB_COMPRESSION).toLowerCase(Locale.ROOT));
    }
}
