package io.rollcall.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole configuration, parsed and validated once at start-up.
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
        Storage storage,
        Map<String, String> kafka) {

    /**
     * Settings of the rollout judge.
     *
     * @param specsTopic    compacted topic of {@code RolloutSpec}s, keyed by service
     * @param verdictsTopic topic the verdicts are published to, keyed by service
     * @param grace         how long after its end a window still takes samples before it is judged
     * @param tick          how often windows are checked for closing (wall-clock time)
     * @param history       verdicts kept per service for {@code GET /api/v1/rollouts/{service}/verdicts}
     */
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

    public record Rollouts(String specsTopic, String verdictsTopic, Duration grace, Duration tick, int history) {
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

    /** Every rollcall setting with its default. */
    public static final Map<String, String> DEFAULTS = defaults();

    public RollcallConfig {
        kafka = Collections.unmodifiableMap(new TreeMap<>(kafka));
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new TreeMap<>();
        d.put("rollcall.application.id", "rollcall");
        d.put("rollcall.topic.events", "metric-events");
        d.put("rollcall.topic.aggregates", "metric-aggregates");
        d.put("rollcall.topic.dead-letter", "metric-events-dlq");
        d.put("rollcall.window.size", "1m");
        d.put("rollcall.window.grace", "30s");
        d.put("rollcall.window.retention", "1h");
        d.put("rollcall.event.max-bytes", "65536");
        d.put("rollcall.event.max-labels", "64");
        d.put("rollcall.event.max-future", "1h");
        d.put("rollcall.state.dir", System.getProperty("java.io.tmpdir") + "/rollcall-state");
        d.put("rollcall.http.host", "0.0.0.0");
        d.put("rollcall.http.port", "8080");
        d.put("rollcall.http.advertised-host", "localhost");
        d.put("rollcall.http.forward-timeout", "2s");
        d.put("rollcall.topic.rollouts", "rollouts");
        d.put("rollcall.topic.verdicts", "rollout-verdicts");
        d.put("rollcall.rollout.grace", "1s");
        d.put("rollcall.rollout.tick", "100ms");
        d.put("rollcall.rollout.history", "1000");
        d.put("rollcall.api.token", "");
        d.put("rollcall.http.tls.keystore", "");
        d.put("rollcall.http.tls.keystore-password", "");
        d.put("rollcall.http.tls.truststore", "");
        d.put("rollcall.http.tls.truststore-password", "");
        d.put("rollcall.store.cached-aggregates", "10000");
        d.put("rollcall.rocksdb.tuning", "bounded");
        d.put("rollcall.rocksdb.memory-mb", "256");
        d.put("rollcall.rocksdb.write-buffer-mb", "16");
        d.put("rollcall.rocksdb.compression", "lz4");
        return Collections.unmodifiableMap(d);
    }

    /** Defaults overridden by {@code settings} (rollcall.* and Kafka keys mixed). */
    public static RollcallConfig of(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(DEFAULTS);
        all.putAll(settings);
        return parse(all);
    }

    /**
     * Defaults, then the file (if given), then the environment. An unknown {@code rollcall.*}
     * key in the file is an error (a typo would otherwise be silently ignored); an unknown
     * {@code ROLLCALL_*} variable is reported as a warning, since environments carry
     * variables meant for other programs.
     */
    public static RollcallConfig load(Path file, Map<String, String> environment) {
        Map<String, String> all = new HashMap<>(DEFAULTS);
        if (file != null) {
            all.putAll(readFile(file));
        }
        fromEnvironment(environment).forEach((key, value) -> {
            if (key.startsWith(PREFIX) && !DEFAULTS.containsKey(key)) {
                LOG.warn("ignoring environment variable {}: no setting {} (known: {})",
                        key.replace('.', '_').toUpperCase(Locale.ROOT), key, DEFAULTS.keySet());
            } else {
                all.put(key, value);
            }
        });
        return parse(all);
    }

    /** Variables that configure the launcher or logging, not the application. */
    public static final Set<String> NOT_SETTINGS = Set.of("ROLLCALL_CONFIG", "ROLLCALL_LOG_LEVEL", "KAFKA_LOG_LEVEL");

    /** Maps {@code ROLLCALL_X_Y} to {@code rollcall.x.y} and {@code KAFKA_X_Y} to {@code x.y}. */
    public static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> out = new HashMap<>();
        environment.forEach((name, value) -> {
            if (NOT_SETTINGS.contains(name)) {
                return;
            }
            if (name.startsWith("ROLLCALL_")) {
                out.put(envToKey(name), value);
            } else if (name.startsWith("KAFKA_")) {
                out.put(name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return out;
    }

    private static String envToKey(String name) {
        String key = name.toLowerCase(Locale.ROOT).replace('_', '.');
        // Our multi-word leaves are hyphenated (topic.dead-letter, event.max-bytes); the
        // environment cannot say '-', so accept the dotted spelling for them too.
        for (String known : DEFAULTS.keySet()) {
            if (known.replace('-', '.').equals(key)) {
                return known;
            }
        }
        return key;
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
            if (key.startsWith(PREFIX)) {
                if (!DEFAULTS.containsKey(key)) {
                    unknown.add(key);
                }
            } else {
                kafka.put(key, value);
            }
        });
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown setting(s) " + unknown + "; known: " + DEFAULTS.keySet());
        }
        Function<String, String> get = all::get;
        Duration size = positive("rollcall.window.size", Durations.parse("rollcall.window.size", get.apply("rollcall.window.size")));
        Duration grace = Durations.parse("rollcall.window.grace", get.apply("rollcall.window.grace"));
        Duration retention = Durations.parse("rollcall.window.retention", get.apply("rollcall.window.retention"));
        if (grace.isNegative()) {
            throw new ConfigException("rollcall.window.grace: must not be negative, got " + grace);
        }
        if (retention.compareTo(size.plus(grace)) < 0) {
            throw new ConfigException("rollcall.window.retention: must be at least window size + grace ("
                    + size.plus(grace) + "), got " + retention);
        }
        return new RollcallConfig(
                name("rollcall.application.id", get.apply("rollcall.application.id")),
                name("rollcall.topic.events", get.apply("rollcall.topic.events")),
                name("rollcall.topic.aggregates", get.apply("rollcall.topic.aggregates")),
                name("rollcall.topic.dead-letter", get.apply("rollcall.topic.dead-letter")),
                size, grace, retention,
                positiveInt("rollcall.event.max-bytes", get.apply("rollcall.event.max-bytes")),
                positiveInt("rollcall.event.max-labels", get.apply("rollcall.event.max-labels")),
                notNegative("rollcall.event.max-future",
                        Durations.parse("rollcall.event.max-future", get.apply("rollcall.event.max-future"))),
                Path.of(name("rollcall.state.dir", get.apply("rollcall.state.dir"))),
                name("rollcall.http.host", get.apply("rollcall.http.host")),
                port("rollcall.http.port", get.apply("rollcall.http.port")),
                name("rollcall.http.advertised-host", get.apply("rollcall.http.advertised-host")),
                positive("rollcall.http.forward-timeout",
                        Durations.parse("rollcall.http.forward-timeout", get.apply("rollcall.http.forward-timeout"))),
                new Rollouts(
                        name("rollcall.topic.rollouts", get.apply("rollcall.topic.rollouts")),
                        name("rollcall.topic.verdicts", get.apply("rollcall.topic.verdicts")),
                        notNegative("rollcall.rollout.grace",
                                Durations.parse("rollcall.rollout.grace", get.apply("rollcall.rollout.grace"))),
                        positive("rollcall.rollout.tick",
                                Durations.parse("rollcall.rollout.tick", get.apply("rollcall.rollout.tick"))),
                        positiveInt("rollcall.rollout.history", get.apply("rollcall.rollout.history"))),
                token(get.apply("rollcall.api.token")),
                tls(get),
                new Storage(positiveInt("rollcall.store.cached-aggregates", get.apply("rollcall.store.cached-aggregates")),
                        rocksDb(get)),
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
        all.put("rollcall.application.id", applicationId);
        all.put("rollcall.topic.events", eventsTopic);
        all.put("rollcall.topic.aggregates", aggregatesTopic);
        all.put("rollcall.topic.dead-letter", deadLetterTopic);
        all.put("rollcall.window.size", windowSize.toString());
        all.put("rollcall.window.grace", windowGrace.toString());
        all.put("rollcall.window.retention", windowRetention.toString());
        all.put("rollcall.event.max-bytes", Integer.toString(maxEventBytes));
        all.put("rollcall.event.max-labels", Integer.toString(maxLabels));
        all.put("rollcall.event.max-future", maxFuture.toString());
        all.put("rollcall.state.dir", stateDir.toString());
        all.put("rollcall.http.host", httpHost);
        all.put("rollcall.http.port", Integer.toString(httpPort));
        all.put("rollcall.http.advertised-host", advertisedHost);
        all.put("rollcall.http.forward-timeout", forwardTimeout.toString());
        all.put("rollcall.topic.rollouts", rollouts.specsTopic());
        all.put("rollcall.topic.verdicts", rollouts.verdictsTopic());
        all.put("rollcall.rollout.grace", rollouts.grace().toString());
        all.put("rollcall.rollout.tick", rollouts.tick().toString());
        all.put("rollcall.rollout.history", Integer.toString(rollouts.history()));
        all.put("rollcall.api.token", apiToken == null ? "" : apiToken);
        all.put("rollcall.store.cached-aggregates", Integer.toString(storage.cachedAggregates()));
        RocksDb rocks = storage.rocksDb();
        all.put("rollcall.rocksdb.tuning", rocks == null ? "streams-default" : "bounded");
        all.put("rollcall.rocksdb.memory-mb", rocks == null ? DEFAULTS.get("rollcall.rocksdb.memory-mb")
                : Integer.toString(rocks.memoryMb()));
        all.put("rollcall.rocksdb.write-buffer-mb", rocks == null ? DEFAULTS.get("rollcall.rocksdb.write-buffer-mb")
                : Integer.toString(rocks.writeBufferMb()));
        all.put("rollcall.rocksdb.compression", rocks == null ? DEFAULTS.get("rollcall.rocksdb.compression")
                : rocks.compression());
        all.put("rollcall.http.tls.keystore", tls == null ? "" : tls.keystore().toString());
        all.put("rollcall.http.tls.keystore-password", tls == null ? "" : tls.keystorePassword());
        all.put("rollcall.http.tls.truststore", tls == null || tls.truststore() == null ? "" : tls.truststore().toString());
        all.put("rollcall.http.tls.truststore-password",
                tls == null || tls.truststorePassword() == null ? "" : tls.truststorePassword());
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

    /** Settings whose values must never be printed. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return List.of("password", "secret", "jaas", "token", "credentials").stream().anyMatch(k::contains);
    }

    /** The settings with secrets masked: records print every field, and tokens must never reach a log. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        asMap().forEach((key, value) -> shown.put(key, isSecret(key) && !value.isEmpty() ? "[hidden]" : value));
        return "RollcallConfig" + shown;
    }

    /** Whether writes (PUT/DELETE of rollouts) are enabled: only with a bearer token configured. */
    public boolean writesEnabled() {
        return apiToken != null;
    }

    private static String token(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String token = value.strip();
        if (token.length() < 16) {
            throw new ConfigException("rollcall.api.token: must be at least 16 characters (a random string, e.g. "
                    + "`openssl rand -hex 24`), got " + token.length());
        }
        return token;
    }

    private static Tls tls(Function<String, String> get) {
        String keystore = get.apply("rollcall.http.tls.keystore");
        String truststore = get.apply("rollcall.http.tls.truststore");
        if (keystore == null || keystore.isBlank()) {
            if (truststore != null && !truststore.isBlank()) {
                throw new ConfigException("rollcall.http.tls.truststore: set, but rollcall.http.tls.keystore is not; "
                        + "TLS needs this instance's own key and certificate");
            }
            return null;
        }
        Path key = readable("rollcall.http.tls.keystore", keystore.strip());
        Path trust = truststore == null || truststore.isBlank() ? null
                : readable("rollcall.http.tls.truststore", truststore.strip());
        return new Tls(key, get.apply("rollcall.http.tls.keystore-password"), trust,
                get.apply("rollcall.http.tls.truststore-password"));
    }

    private static Path readable(String setting, String value) {
        Path path = Path.of(value);
        if (!Files.isReadable(path)) {
            throw new ConfigException(setting + ": cannot read " + path.toAbsolutePath());
        }
        return path;
    }

    private static Duration notNegative(String setting, Duration value) {
        if (value.isNegative()) {
            throw new ConfigException(setting + ": must not be negative, got " + value);
        }
        return value;
    }

    private static String name(String setting, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(setting + ": must not be empty");
        }
        return value.strip();
    }

    private static RocksDb rocksDb(Function<String, String> get) {
        String tuning = get.apply("rollcall.rocksdb.tuning").strip();
        int memory = positiveInt("rollcall.rocksdb.memory-mb", get.apply("rollcall.rocksdb.memory-mb"));
        int writeBuffer = positiveInt("rollcall.rocksdb.write-buffer-mb", get.apply("rollcall.rocksdb.write-buffer-mb"));
        String compression = get.apply("rollcall.rocksdb.compression").strip().toLowerCase(Locale.ROOT);
        if (!List.of("none", "lz4", "zstd", "snappy").contains(compression)) {
            throw new ConfigException("rollcall.rocksdb.compression: must be none, lz4, zstd or snappy, got '"
                    + compression + "'");
        }
        if (2L * writeBuffer > memory) {
            throw new ConfigException("rollcall.rocksdb.write-buffer-mb: two memtables (" + 2L * writeBuffer
                    + " MB) must fit in rollcall.rocksdb.memory-mb (" + memory + " MB)");
        }
        return switch (tuning) {
            case "bounded" -> new RocksDb(memory, writeBuffer, compression);
            case "streams-default" -> null;
            default -> throw new ConfigException("rollcall.rocksdb.tuning: must be bounded or streams-default, got '"
                    + tuning + "'");
        };
    }

    private static int positiveInt(String setting, String value) {
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed <= 0) {
                throw new ConfigException(setting + ": must be a positive integer, got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(setting + ": must be a positive integer, got '" + value + "'");
        }
    }

    private static int port(String setting, String value) {
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed < 0 || parsed > 65535) {
                throw new ConfigException(setting + ": must be a port from 0 to 65535, got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(setting + ": must be a port from 0 to 65535, got '" + value + "'");
        }
    }

    private static Duration positive(String setting, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new ConfigException(setting + ": must be positive, got " + value);
        }
        return value;
    }
}
