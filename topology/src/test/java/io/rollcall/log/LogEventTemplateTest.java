package io.rollcall.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.junit.jupiter.api.Test;

/** The JSON line layout that {@code ROLLCALL_LOG_FORMAT=json} selects in log4j2.xml. */
class LogEventTemplateTest {

    private static final Layout<?> LAYOUT = layout();

    /** Built by name, as log4j2.xml names it: the layout is a runtime dependency of the application. */
    private static Layout<?> layout() {
        ConfigurationBuilder<BuiltConfiguration> builder = ConfigurationBuilderFactory.newConfigurationBuilder();
        builder.add(builder.newAppender("json", "Console").add(builder.newLayout("JsonTemplateLayout")
                .addAttribute("eventTemplateUri", "classpath:rollcall-log-event.json")));
        Configuration configuration = builder.build(false);
        configuration.initialize();
        return configuration.getAppender("json").getLayout();
    }

    private static String line(LogEvent event) {
        return (String) LAYOUT.toSerializable(event);
    }

    @Test
    void writesOneLineWithTimestampLevelLoggerThreadAndMessage() throws Exception {
        String line = line(event(null, new SortedArrayStringMap()));

        assertThat(line).endsWith("\n").hasLineCount(1);
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(Instant.parse(json.path("timestamp").asText())).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
        assertThat(json.path("level").asText()).isEqualTo("WARN");
        assertThat(json.path("logger").asText()).isEqualTo("io.rollcall.rollout.SpecCache");
        assertThat(json.path("thread").asText()).isEqualTo("app-StreamThread-1");
        assertThat(json.path("message").asText()).isEqualTo("ignoring rollout spec");
        assertThat(json.has("exception")).isFalse();
    }

    @Test
    void writesTheContextFieldsAtTheTopLevel() throws Exception {
        SortedArrayStringMap context = new SortedArrayStringMap();
        context.putValue(LogContext.ROLLOUT_ID, "payments-r7");
        context.putValue(LogContext.SERVICE, "payments");

        JsonNode json = new ObjectMapper().readTree(line(event(null, context)));

        assertThat(json.path("rolloutId").asText()).isEqualTo("payments-r7");
        assertThat(json.path("service").asText()).isEqualTo("payments");
    }

    @Test
    void writesAnExceptionAsItsStackTraceInOneStringField() throws Exception {
        IllegalStateException failure = new IllegalStateException("store closed", new RuntimeException("disk"));

        String line = line(event(failure, new SortedArrayStringMap()));

        assertThat(line).hasLineCount(1);
        JsonNode exception = new ObjectMapper().readTree(line).path("exception");
        assertThat(exception.isTextual()).isTrue();
        assertThat(exception.asText()).startsWith("java.lang.IllegalStateException: store closed")
                .contains("\tat io.rollcall.log.LogEventTemplateTest", "Caused by: java.lang.RuntimeException: disk");
    }

    private static LogEvent event(Throwable thrown, SortedArrayStringMap context) {
        return Log4jLogEvent.newBuilder()
                .setLoggerName("io.rollcall.rollout.SpecCache")
                .setLevel(Level.WARN)
                .setThreadName("app-StreamThread-1")
                .setTimeMillis(1_700_000_000_123L)
                .setMessage(new SimpleMessage("ignoring rollout spec"))
                .setThrown(thrown)
                .setContextData(context)
                .build();
    }
}
