package io.rollcall.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.SeriesId;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** At DEBUG, a dead-lettered record is logged with its series, source partition and task as context fields. */
class DeadLetterLogTest {

    @TempDir
    Path stateDir;

    private final StringWriter written = new StringWriter();
    private final Logger logger = (Logger) LogManager.getLogger(EventValidator.class);
    private Level before;
    private WriterAppender appender;
    private TopologyTestDriver driver;

    @BeforeEach
    void start() {
        appender = WriterAppender.newBuilder().setName("dead-letter-log-test").setTarget(written)
                .setLayout(PatternLayout.newBuilder()
                        .withPattern("%level seriesId=%X{seriesId} partition=%X{partition} task=%X{task} %msg%n").build())
                .build();
        appender.start();
        logger.addAppender(appender);
        before = logger.getLevel();
        // After addAppender, which gives the logger a configuration of its own at the inherited level.
        Configurator.setLevel(logger.getName(), Level.DEBUG);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dead-letter-log-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(RollcallTopology.build(RollcallConfig.of(Map.of()), 1), props);
    }

    @AfterEach
    void close() {
        driver.close();
        Configurator.setLevel(logger.getName(), before);
        logger.removeAppender(appender);
        appender.stop();
    }

    @Test
    void logsADeadLetteredRecordWithItsSeriesPartitionAndTask() {
        TestInputTopic<byte[], byte[]> events =
                driver.createInputTopic("metric-events", new ByteArraySerializer(), new ByteArraySerializer());

        events.pipeInput(SeriesId.of(42).toBytes(), "not avro at all".getBytes(StandardCharsets.UTF_8));

        assertThat(written.toString().lines()).singleElement().asString()
                .startsWith("DEBUG seriesId=" + SeriesId.of(42) + " partition=metric-events-0 task=0_0 dead-lettered "
                        + "(bad-framing): ");
    }

    @Test
    void removesTheContextFieldsAfterTheLine() {
        TestInputTopic<byte[], byte[]> events =
                driver.createInputTopic("metric-events", new ByteArraySerializer(), new ByteArraySerializer());

        events.pipeInput(SeriesId.of(42).toBytes(), "not avro at all".getBytes(StandardCharsets.UTF_8));

        assertThat(org.slf4j.MDC.getCopyOfContextMap()).isNullOrEmpty();
    }
}
