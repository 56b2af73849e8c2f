package io.rollcall.log;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.rewrite.RewritePolicy;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * Kafka Streams' standby assignor warns once per task when there are too few instances for
 * {@code num.standby.replicas}: with one instance left, every rebalance (probing ones every
 * 10 minutes too) logs a line per stateful task. This policy keeps the first line of each
 * assignment, reworded to say what it means, and marks the rest {@link ExpectedRecoveries#REPEATED}.
 * An assignment logs its lines back to back: a line within {@link #SAME_ASSIGNMENT_MILLIS} of the
 * first line of an assignment belongs to it.
 */
@Plugin(name = "StandbyShortfall", category = Core.CATEGORY_NAME, elementType = "rewritePolicy", printObject = true)
public final class StandbyShortfall implements RewritePolicy {

    static final long SAME_ASSIGNMENT_MILLIS = 1_000;

    private static final String ASSIGNOR = "org.apache.kafka.streams.processor.internals.assignment."
            + "DefaultStandbyTaskAssignor";
    private static final Pattern UNASSIGNED = Pattern.compile("Unable to assign \\d+ of (?<replicas>\\d+) standby "
            + "tasks for task \\[(?<task>[^\\]]+)\\]\\. There is not enough available capacity\\..*");

    private final Bursts assignments = new Bursts(SAME_ASSIGNMENT_MILLIS);

    private StandbyShortfall() {
    }

    @PluginFactory
    public static StandbyShortfall create() {
        return new StandbyShortfall();
    }

    @Override
    public LogEvent rewrite(LogEvent event) {
        if (!event.getLoggerName().equals(ASSIGNOR)) {
            return event;
        }
        Matcher matcher = UNASSIGNED.matcher(event.getMessage().getFormattedMessage());
        if (!matcher.matches()) {
            return event;
        }
        Log4jLogEvent.Builder line = new Log4jLogEvent.Builder(event.toImmutable());
        if (!assignments.starts(event.getTimeMillis())) {
            return line.setMarker(ExpectedRecoveries.REPEATED).build();
        }
        return line.setMessage(new SimpleMessage("too few instances for num.standby.replicas="
                + matcher.group("replicas") + ": task " + matcher.group("task") + " and others have no standby "
                + "until more instances run (one line per assignment)")).build();
    }
}
