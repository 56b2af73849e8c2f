package io.rollcall.bench;

import io.rollcall.config.RollcallConfig;
import java.util.HashMap;
import java.util.Map;

/** Configurations for benchmark runs that share a broker: every topic and group named after one prefix. */
final class BenchConfig {

    private BenchConfig() {
    }

    /** An application {@code prefix} with its own topics, an ephemeral HTTP port, plus {@code extra} settings. */
    static RollcallConfig isolated(String bootstrapServers, String prefix, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "rollcall.application.id", prefix,
                "rollcall.topic.events", prefix + "-events",
                "rollcall.topic.aggregates", prefix + "-aggregates",
                "rollcall.topic.dead-letter", prefix + "-dlq",
                "rollcall.topic.rollouts", prefix + "-rollouts",
                "rollcall.topic.verdicts", prefix + "-verdicts",
                "rollcall.http.port", "0"));
        settings.putAll(extra);
        return RollcallConfig.of(settings);
    }
}
