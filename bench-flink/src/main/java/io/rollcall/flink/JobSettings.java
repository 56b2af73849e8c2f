package io.rollcall.flink;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * What {@link RollcallFlinkJob#run} is given, as strings, because its caller sees this module only
 * through a class loader of its own. Keys: {@code name} (consumer group and transactional id
 * prefix), {@code events.topic}, {@code output.topic} (all-time aggregates; closed windows go to the
 * same name with {@code -windows}), {@code parallelism}, {@code checkpoint.interval.ms},
 * {@code managed.memory.mb} (RocksDB's memory, all slots together), {@code window.size.ms},
 * {@code window.grace.ms}, and the Kafka clients' settings prefixed {@code kafka.}
 * (at least {@code kafka.bootstrap.servers}).
 */
record JobSettings(String name, String eventsTopic, String outputTopic, int parallelism, Duration checkpointInterval,
                   int managedMemoryMb, Duration windowSize, Duration grace, Properties kafka) {

    private static final String KAFKA = "kafka.";

    static JobSettings of(Map<String, String> settings) {
        Properties kafka = new Properties();
        settings.forEach((key, value) -> {
            if (key.startsWith(KAFKA)) {
                kafka.setProperty(key.substring(KAFKA.length()), value);
            }
        });
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("kafka.bootstrap.servers is missing");
        }
        return new JobSettings(required(settings, "name"), required(settings, "events.topic"),
                required(settings, "output.topic"), Integer.parseInt(required(settings, "parallelism")),
                millis(settings, "checkpoint.interval.ms"), Integer.parseInt(required(settings, "managed.memory.mb")),
                millis(settings, "window.size.ms"), millis(settings, "window.grace.ms"), kafka);
    }

    String windowsTopic() {
        return outputTopic + "-windows";
    }

    String bootstrapServers() {
        return kafka.getProperty("bootstrap.servers");
    }

    private static Duration millis(Map<String, String> settings, String key) {
        return Duration.ofMillis(Long.parseLong(required(settings, key)));
    }

    private static String required(Map<String, String> settings, String key) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is missing");
        }
        return value;
    }
}
