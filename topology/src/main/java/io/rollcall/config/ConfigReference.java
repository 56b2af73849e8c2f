package io.rollcall.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The configuration reference, {@code docs/configuration.md}, rendered from the declaration
 * in {@link RollcallSettings}; {@code ConfigReferenceTest} fails when the committed file differs.
 */
public final class ConfigReference {

    /** Rewrites the reference; run from the repository root. */
    public static final String REGENERATE = "./mvnw -q -B -ntp -pl topology -am package -DskipTests"
            + " && java -cp topology/target/rollcall.jar io.rollcall.config.ConfigReference docs/configuration.md";

    private ConfigReference() {
    }

    /** Writes the reference to the file given as the only argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ConfigReference OUTPUT_FILE (e.g. docs/configuration.md)");
        }
        Files.writeString(Path.of(args[0]), markdown());
    }

    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("<!-- Generated from io.rollcall.config.RollcallSettings: edit the declaration there, then regenerate:\n")
                .append("     ").append(REGENERATE).append(" -->\n\n");
        out.append("""
                # Configuration

                Settings come from three sources, later ones winning:

                1. the defaults below;
                2. a properties file: `rollcall serve --config FILE`, or the file named by `ROLLCALL_CONFIG`;
                3. environment variables: `ROLLCALL_WINDOW_SIZE=5m` sets `rollcall.window.size` (dots and
                   hyphens become underscores), and `KAFKA_X_Y` sets the Kafka setting `x.y`
                   (`KAFKA_BOOTSTRAP_SERVERS` sets `bootstrap.servers`).

                An unknown `rollcall.*` key in the file stops start-up with an error naming it; an unknown
                `ROLLCALL_*` variable is logged and ignored, since environments carry variables meant for
                other programs. An invalid value stops start-up with a one-line error naming the setting.

                Every key that does not start with `rollcall.` is a Kafka client or Kafka Streams setting and
                passes through unchanged, security settings (`security.protocol`, `sasl.*`, `ssl.*`) included —
                except the [schema registry](#schema-registry) settings, which keep the names Confluent's and
                Apicurio's clients give them (`schema.registry.url`, `basic.auth.user.info`, …) and are set from
                the environment by those names in upper case (`SCHEMA_REGISTRY_URL`).
                `bootstrap.servers` has no default; `rollcall serve` needs it.

                Durations are written `500ms`, `30s`, `1m`, `2h`, `7d` or in ISO-8601 (`PT1M`). Passwords are
                never logged: the configuration prints them as `[hidden]`.
                """);
        ConfigDef config = RollcallSettings.CONFIG;
        for (String group : config.groups()) {
            out.append("\n## ").append(group).append("\n\n")
                    .append("| setting | environment variable | type | default | valid values | description |\n")
                    .append("|---|---|---|---|---|---|\n");
            config.configKeys().values().stream()
                    .filter(key -> group.equals(key.group))
                    .forEach(key -> out.append(row(key)));
        }
        out.append("""

                ## Kafka Streams settings rollcall sets

                rollcall starts Kafka Streams with these settings; a Kafka key in the configuration
                overrides any of them except `application.server`:

                - `application.id` = `rollcall.application.id`, `state.dir` = `rollcall.state.dir`;
                - `processing.guarantee` = `exactly_once_v2`;
                - `num.stream.threads` = the number of CPU cores;
                - `default.key.serde` and `default.value.serde` = byte arrays: the topology reads raw bytes
                  and validates them itself;
                - exception handlers: `deserialization.exception.handler` logs and continues (bad input
                  never reaches a deserializer: the validator dead-letters it first),
                  `processing.exception.handler` fails the stream thread, which is replaced and resumes
                  from its last commit (an exception in rollcall's code is a bug, or a schema registry that
                  cannot be asked, and must not silently drop aggregates; a registry outage writes no
                  dead letter; `processing.exception.handler.global.enabled` = `true`, and
                  `main.consumer.processing.exception.handler.global.enabled` = `true` for the partition assignor,
                  which would otherwise warn that it is not),
                  `production.exception.handler` is Kafka's default (fail);
                - `errors.dead.letter.queue.topic.name` = `rollcall.topic.dead-letter`;
                - `producer.max.request.size` = 64 MiB, so dead letters as large as the events topic
                  accepts can be written;
                - `compression.type` = `lz4` and `batch.size` = 131072 (128 KiB; Kafka's default is 16 KiB):
                  a commit sends a task's changed series at once, and the producers write them (changelogs,
                  aggregates, verdicts, dead letters) in fewer, LZ4-compressed batches, so the brokers and the
                  producers' network threads handle fewer requests and a fraction of the bytes (measured in
                  [BENCHMARKS.md](../BENCHMARKS.md#tuning-choices)). Every Java client, Kafka Connect and
                  librdkafka read LZ4; a KafkaJS consumer of the aggregates or verdicts topic needs an LZ4
                  codec package, or set `compression.type=none`;
                - `rocksdb.config.setter` = `io.rollcall.store.RocksDbTuning` while `rollcall.rocksdb.tuning`
                  is `bounded`;
                - `task.assignor.class` = Kafka's `StickyTaskAssignor`: tasks stay where they are, and a new
                  instance takes its share at the first rebalance, restoring it from the changelogs (instances
                  holding a standby copy are preferred), instead of warming copies up and moving at most two
                  tasks per 10-minute probing rebalance;
                - `topic.max.compaction.lag.ms` = 60000: the broker compacts changelog topics at least every
                  minute, so a restore reads the compacted state plus at most about a minute of updates instead
                  of every update since a 1 GiB segment last closed (set when Streams creates a changelog;
                  repartition topics are not compacted and ignore it);
                - `max.task.idle.ms` = -1: the aggregating task, which reads the events topic and the
                  single-writer repartition topic, processes what it has buffered without waiting to learn the
                  lag of an input it has nothing buffered for (the repartition topic is empty while producers
                  partition as Kafka does). Streams' default (0) checks that input's lag before every record and
                  formats log messages it never logs while doing so (measured in
                  [BENCHMARKS.md](../BENCHMARKS.md#tuning-choices)). A rerouted event processed after newer
                  ones still counts in its window within `rollcall.window.grace`;
                - `application.server` = `rollcall.http.advertised-host` and the bound HTTP port;
                - `group.instance.id` = the same address as `HOST-PORT` (static membership): a restarted
                  instance rejoins as the member it was, without a rebalance. A clean stop still leaves the
                  group, so the survivors take its tasks over at once.

                ## Environment variables that are not settings

                | variable | meaning |
                |---|---|
                """);
        RollcallSettings.OTHER_VARIABLES.forEach((name, meaning) ->
                out.append("| `").append(name).append("` | ").append(cell(meaning)).append(" |\n"));
        return out.toString();
    }

    private static String row(ConfigDef.ConfigKey key) {
        return "| `" + key.name + "` | `" + RollcallSettings.environmentVariable(key.name) + "` | "
                + type(key) + " | " + cell(shownDefault(key)) + " | "
                + cell(key.validator == null ? "" : key.validator.toString()) + " | " + cell(key.documentation) + " |\n";
    }

    private static String type(ConfigDef.ConfigKey key) {
        return key.validator instanceof Validators.DurationValidator ? "duration" : key.type.name().toLowerCase(Locale.ROOT);
    }

    private static String shownDefault(ConfigDef.ConfigKey key) {
        if (key.alternativeString != null) {
            return key.alternativeString;
        }
        return "`" + RollcallConfig.DEFAULTS.get(key.name) + "`";
    }

    /** Text inside a table cell: a '|' would end the cell. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
