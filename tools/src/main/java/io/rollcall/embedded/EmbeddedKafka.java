package io.rollcall.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import io.rollcall.app.Topics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one node) running in this JVM,
 * for the demo, benchmarks and integration tests on machines without Docker.
 *
 * <p>Kafka's own {@code KafkaClusterTestKit} would do this, but it needs the kafka-clients test jar,
 * which is not published for 4.4.0; hence the server is assembled from {@link Formatter} and
 * {@link KafkaRaftServer} directly.
 *
 * <p>Instances may be shared between threads; {@link #close()} may be called any number of times.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    // Free ports are found by binding port 0 and releasing it, so another process can take one
    // before the broker binds it; a fresh pair is tried when that happens.
    private static final int BIND_ATTEMPTS = 3;
    private static final Object STARTUP_LOCK = new Object();

    private final KafkaRaftServer server;
    private final Path logDir;
    private final String bootstrapServers;
    private final String securedBootstrapServers;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Name of the optional third listener, the one that requires authentication. */
    private static final String SECURED_LISTENER = "SECURED";

    private EmbeddedKafka(KafkaRaftServer server, Path logDir, String bootstrapServers, String securedBootstrapServers) {
        this.server = server;
        this.logDir = logDir;
        this.bootstrapServers = bootstrapServers;
        this.securedBootstrapServers = securedBootstrapServers;
    }

    /**
     * A listener that requires authentication: its security protocol and its broker settings,
     * given without the listener prefix ({@code ssl.client.auth}, {@code sasl.enabled.mechanisms},
     * {@code plain.sasl.jaas.config}, …); they apply to this listener only.
     */
    public record SecuredListener(String securityProtocol, Map<String, String> settings, boolean enforcesAcls) {

        public SecuredListener {
            settings = Map.copyOf(settings);
        }

        public SecuredListener(String securityProtocol, Map<String, String> settings) {
            this(securityProtocol, settings, false);
        }

        /**
         * The same listener on a broker that enforces ACLs (Kafka's StandardAuthorizer, as a
         * Strimzi cluster with {@code authorization: simple}): its principals get only what ACLs
         * grant. The plain listener's anonymous principal stays a super user, for a test's set-up.
         */
        public SecuredListener enforcingAcls() {
            return new SecuredListener(securityProtocol, settings, true);
        }

        /** SASL_PLAINTEXT with the PLAIN mechanism, knowing only {@code users} (name → password). */
        public static SecuredListener saslPlain(Map<String, String> users) {
            if (users.isEmpty()) {
                throw new IllegalArgumentException("at least one SASL user is needed");
            }
            StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
            users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
            return new SecuredListener("SASL_PLAINTEXT", Map.of(
                "sasl.enabled.mechanisms", "PLAIN",
                "plain.sasl.jaas.config", jaas.append(';').toString()));
        }

        /**
         * SASL_SSL with SCRAM-SHA-512: TLS with the broker's {@code keystore} (PKCS12), then SCRAM
         * against the credentials in the cluster metadata; add users with {@link #addScramUser}.
         */
        public static SecuredListener saslScramSsl(Path keystore, String keystorePassword) {
            Map<String, String> settings = new HashMap<>(keystore(keystore, keystorePassword));
            settings.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
            settings.put("scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            return new SecuredListener("SASL_SSL", settings);
        }

        /** SSL that requires a client certificate the {@code truststore} vouches for (mutual TLS). */
        public static SecuredListener mutualTls(Path keystore, String keystorePassword, Path truststore,
                                                String truststorePassword) {
            Map<String, String> settings = new HashMap<>(keystore(keystore, keystorePassword));
            settings.put("ssl.client.auth", "required");
            settings.put("ssl.truststore.location", truststore.toString());
            settings.put("ssl.truststore.password", truststorePassword);
            settings.put("ssl.truststore.type", "PKCS12");
            return new SecuredListener("SSL", settings);
        }

        private static Map<String, String> keystore(Path keystore, String password) {
            return Map.of(
                "ssl.keystore.location", keystore.toString(),
                "ssl.keystore.password", password,
                "ssl.key.password", password,
                "ssl.keystore.type", "PKCS12");
        }
    }

    /**
     * Starts a broker on a fresh temporary log directory that also listens on a port secured as
     * {@code listener} says, for tests of client security settings; see
     * {@link #securedBootstrapServers()}. The plain listener stays open for the test's own set-up.
     */
    public static EmbeddedKafka startWith(SecuredListener listener) {
        return start(temporaryLogDir("rollcall-kafka-secured-"), listener);
    }

    /** The address of the secured listener; null unless started by {@link #startWith}. */
    public String securedBootstrapServers() {
        return securedBootstrapServers;
    }

    /**
     * Creates or replaces a SCRAM-SHA-512 user (through the plain listener) and returns once the
     * controller has committed it; the broker applies it from the metadata log shortly after.
     */
    public void addScramUser(String user, String password) {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                    user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
                .all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while adding SCRAM user " + user, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not add SCRAM user " + user, e);
        }
    }

    /** Starts a broker on a fresh temporary log directory, deleted again by {@link #close()}. */
    public static EmbeddedKafka start() {
        return start(temporaryLogDir("rollcall-kafka-"), null);
    }

    private static Path temporaryLogDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary Kafka log directory", e);
        }
    }

    private static EmbeddedKafka start(Path logDir, SecuredListener secured) {
        long startedAt = System.nanoTime();
        EmbeddedKafka kafka;
        try {
            format(logDir);
            kafka = startServer(logDir, secured);
        } catch (RuntimeException e) {
            deleteQuietly(logDir, e);
            throw e;
        }
        try {
            kafka.awaitBrokerAnswers();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        LOG.info("Kafka broker at {} ready in {} ms (log dir {})",
            kafka.bootstrapServers, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), logDir);
        return kafka;
    }

    private static void format(Path logDir) {
        // The Formatter narrates to stdout; keep that out of the application's output.
        ByteArrayOutputStream narration = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(narration, true, StandardCharsets.UTF_8)) {
            Files.createDirectories(logDir);
            new Formatter()
                .setPrintStream(out)
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .addDirectory(logDir.toString())
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka log directory " + logDir, e);
        }
        LOG.debug("Formatted {}: {}", logDir, narration.toString(StandardCharsets.UTF_8).strip());
    }

    private static EmbeddedKafka startServer(Path logDir, SecuredListener secured) {
        for (int attempt = 1; ; attempt++) {
            int[] ports = freePorts(secured == null ? 2 : 3);
            Map<String, String> config = brokerConfig(logDir, ports[0], ports[1]);
            if (secured != null) {
                addSecuredListener(config, ports[2], secured);
            }
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
            try {
                startup(server);
                return new EmbeddedKafka(server, logDir, HOST + ":" + ports[0],
                    secured == null ? null : HOST + ":" + ports[2]);
            } catch (RuntimeException e) {
                stop(server);
                if (attempt == BIND_ATTEMPTS || !(causedByBindFailure(e) || anyTaken(ports))) {
                    throw new IllegalStateException("Kafka broker on " + logDir + " failed to start", e);
                }
                LOG.warn("Port {} or {} was taken before the broker bound it; retrying on other ports",
                    ports[0], ports[1]);
            }
        }
    }

    /**
     * Kafka treats some startup failures, such as a taken controller port, as fatal faults and
     * exits the JVM (ProcessTerminatingFaultHandler), which would end a whole test run without a
     * report. Until the server is up they become exceptions instead; a fatal fault after that stops
     * the process, as it would stop a standalone broker. Exit's procedures are global, hence the lock.
     */
    private static void startup(KafkaRaftServer server) {
        synchronized (STARTUP_LOCK) {
            Exit.setExitProcedure(EmbeddedKafka::failStartup);
            Exit.setHaltProcedure(EmbeddedKafka::failStartup);
            try {
                server.startup();
            } finally {
                Exit.resetExitProcedure();
                Exit.resetHaltProcedure();
            }
        }
    }

    private static void failStartup(int status, String message) {
        throw new IllegalStateException(
            "Kafka asked to terminate the JVM with status " + status + (message == null ? "" : ": " + message));
    }

    // Values are strings, as in server.properties: KafkaConfig rejects a Short where it wants an int.
    private static Map<String, String> brokerConfig(Path logDir, int brokerPort, int controllerPort) {
        Map<String, String> config = new HashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", String.valueOf(NODE_ID));
        // A static voter set rather than controller.quorum.bootstrap.servers: a dynamic quorum
        // stores the controller's endpoint in the metadata log, and a reused log dir gets new ports.
        config.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        config.put("controller.listener.names", CONTROLLER_LISTENER);
        config.put("listeners",
            BROKER_LISTENER + "://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        config.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        config.put("inter.broker.listener.name", BROKER_LISTENER);
        config.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        config.put("log.dirs", logDir.toString());

        // One broker: every internal topic must fit on one replica, or the groups, transactions
        // (exactly_once_v2) and share groups that need it never become available.
        config.put("offsets.topic.replication.factor", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        // The defaults (50 partitions each) make the first group or transaction wait for 50 logs.
        config.put("offsets.topic.num.partitions", "5");
        config.put("transaction.state.log.num.partitions", "5");
        config.put("share.coordinator.state.topic.num.partitions", "5");
        config.put("num.partitions", "1");
        config.put("default.replication.factor", "1");

        // Nothing waits for more members to join: tests and the demo start them one at a time.
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("group.streams.initial.rebalance.delay.ms", "0");
        // A typo in a topic name should fail loudly, not create a one-partition topic;
        // Streams creates its internal topics through Admin and is unaffected.
        config.put("auto.create.topics.enable", "false");
        // The cleaner allocates this buffer on the heap at startup (128 MiB by default).
        config.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        return config;
    }

    /** A third listener, secured as {@code secured} says; its settings get the listener's prefix. */
    private static void addSecuredListener(Map<String, String> config, int port, SecuredListener secured) {
        config.put("listeners", config.get("listeners") + "," + SECURED_LISTENER + "://" + HOST + ":" + port);
        config.put("advertised.listeners", config.get("advertised.listeners") + "," + SECURED_LISTENER + "://" + HOST + ":" + port);
        config.put("listener.security.protocol.map",
            config.get("listener.security.protocol.map") + "," + SECURED_LISTENER + ":" + secured.securityProtocol());
        String prefix = "listener.name." + SECURED_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
        secured.settings().forEach((key, value) -> config.put(prefix + key, value));
        if (secured.enforcesAcls()) {
            config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            // The controller and plain listeners authenticate no one: their principal is ANONYMOUS.
            config.put("super.users", "User:ANONYMOUS");
        }
    }

    /** The address clients connect to, {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker's log directory. */
    public Path logDir() {
        return logDir;
    }

    /**
     * Creates the topics that do not exist yet, leaving existing ones as they are, and returns once
     * every partition of every given topic has a leader that serves it (see {@link Topics#create}).
     */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = admin()) {
            Topics.create(admin, topics);
        }
    }

    private void awaitBrokerAnswers() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Exception lastFailure = null;
        try (Admin admin = admin()) {
            do {
                try {
                    DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs(remainingMillis(deadline));
                    if (!await(admin.describeCluster(options).nodes(), deadline).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    lastFailure = e;
                }
            } while (pauseBefore(deadline));
        }
        throw new IllegalStateException(
            "Kafka broker at " + bootstrapServers + " did not answer within " + START_TIMEOUT.toSeconds() + " s",
            lastFailure);
    }

    private Admin admin() {
        return Admin.create(Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            AdminClientConfig.CLIENT_ID_CONFIG, "rollcall-embedded-kafka"));
    }

    /** Shuts the broker down, waits until it has stopped and deletes its log directory. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stop(server);
        try {
            Utils.delete(logDir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete Kafka log directory " + logDir, e);
        }
        LOG.info("Kafka broker at {} stopped", bootstrapServers);
    }

    private static void stop(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    private static int[] freePorts(int count) {
        // All sockets stay open until every port is chosen, so the ports differ.
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            InetAddress host = InetAddress.getByName(HOST);
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, host);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port on " + HOST, e);
        } finally {
            for (ServerSocket socket : sockets) {
                Utils.closeQuietly(socket, "port probe");
            }
        }
    }

    private static boolean anyTaken(int[] ports) {
        for (int port : ports) {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
                probe.getLocalPort();
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedByBindFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static <T> T await(KafkaFuture<T> future, long deadline) throws ExecutionException, TimeoutException {
        try {
            return future.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
    }

    /** Sleeps briefly; false once the deadline has passed. */
    private static boolean pauseBefore(long deadline) {
        if (System.nanoTime() >= deadline) {
            return false;
        }
        try {
            Thread.sleep(Math.min(50, remainingMillis(deadline)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
        return true;
    }

    private static int remainingMillis(long deadline) {
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static void deleteQuietly(Path dir, Exception primary) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
