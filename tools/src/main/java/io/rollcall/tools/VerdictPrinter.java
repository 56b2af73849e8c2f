package io.rollcall.tools;

import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.avro.RolloutVerdict;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Prints each verdict as it becomes readable (read_committed), one line each. */
final class VerdictPrinter implements AutoCloseable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final KafkaConsumer<String, byte[]> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    VerdictPrinter(RollcallConfig config, PrintStream out) {
        Properties props = config.kafkaProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "rollcall-verdict-printer-" + UUID.randomUUID());
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(config.rollouts().verdictsTopic()));
        AvroSerde<RolloutVerdict> serde = AvroSerde.rolloutVerdict();
        thread = new Thread(() -> {
            try {
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        RolloutVerdict verdict = serde.deserialize(record.value());
                        out.println(line(verdict));
                        String story = story(verdict);
                        if (story != null) {
                            out.println(story);
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close(Duration.ofSeconds(2));
            }
        }, "verdict-printer");
        thread.setDaemon(true);
        thread.start();
    }

    static String line(RolloutVerdict v) {
        String mark = switch (v.getDecision()) {
            case PROMOTE -> "✔ PROMOTE ";
            case ROLLBACK -> "✘ ROLLBACK";
            case HOLD -> "… HOLD    ";
            case CONTINUE -> "→ CONTINUE";
        };
        return String.format("[verdict] %s %-10s %s window %d%s · %s", TIME.format(v.getDecidedAt()), v.getService(),
                mark, v.getWindow(), v.getEarly() ? " (early)" : "", v.getReason());
    }

    /** What a terminal verdict means for the operator, in words; null for the others. */
    static String story(RolloutVerdict v) {
        return switch (v.getDecision()) {
            case PROMOTE -> String.format("[demo] %s: the canary held every SLO for %d windows in a row, so rollcall "
                    + "promoted it; a controller (Argo Rollouts) would now shift all traffic to it.", v.getService(),
                    v.getPassingWindows());
            case ROLLBACK -> String.format("[demo] %s: %s the evidence was conclusive%s, so rollcall rolled the canary "
                    + "back; a controller would now send all traffic to the baseline. No verdict follows.",
                    v.getService(), v.getEarly() ? "within window " + v.getWindow() + "," : "after window " + v.getWindow()
                            + ",", v.getEarly() ? " before the window even closed" : "");
            default -> null;
        };
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(5_000);
    }
}
