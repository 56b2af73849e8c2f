package io.rollcall.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/** Kafka Streams 4.4's standby assignor with one instance and {@code num.standby.replicas=1}. */
class StandbyShortfallTest {

    private final StandbyShortfall policy = StandbyShortfall.create();

    @Test
    void theFirstLineOfAnAssignmentSaysWhatIsMissing() {
        LogEvent event = policy.rewrite(unassigned("0_0", 1_000));

        assertThat(event.getLevel()).isEqualTo(Level.WARN);
        assertThat(event.getMessage().getFormattedMessage()).isEqualTo("too few instances for "
                + "num.standby.replicas=1: task 0_0 and others have no standby until more instances run "
                + "(one line per assignment)");
        assertThat(event.getMarker()).isNull();
    }

    @Test
    void theOtherTasksOfTheSameAssignmentAreMarkedRepeated() {
        policy.rewrite(unassigned("0_0", 1_000));

        assertThat(policy.rewrite(unassigned("0_1", 1_002)).getMarker()).isEqualTo(ExpectedRecoveries.REPEATED);
    }

    @Test
    void theNextAssignmentGetsItsOwnLine() {
        policy.rewrite(unassigned("0_0", 1_000));

        LogEvent next = policy.rewrite(unassigned("0_0", 1_000 + StandbyShortfall.SAME_ASSIGNMENT_MILLIS));

        assertThat(next.getMarker()).isNull();
    }

    @Test
    void anotherLineOfTheAssignorIsLeftAsIs() {
        LogEvent original = Log4jLogEvent.newBuilder()
                .setLoggerName("org.apache.kafka.streams.processor.internals.assignment.DefaultStandbyTaskAssignor")
                .setLevel(Level.ERROR)
                .setMessage(new SimpleMessage("something else"))
                .build();

        assertThat(policy.rewrite(original)).isSameAs(original);
    }

    private static LogEvent unassigned(String task, long timeMillis) {
        return Log4jLogEvent.newBuilder()
                .setLoggerName("org.apache.kafka.streams.processor.internals.assignment.DefaultStandbyTaskAssignor")
                .setLevel(Level.WARN)
                .setTimeMillis(timeMillis)
                .setMessage(new SimpleMessage("Unable to assign 1 of 1 standby tasks for task [" + task + "]. There "
                        + "is not enough available capacity. You should increase the number of application instances "
                        + "to maintain the requested number of standby replicas."))
                .build();
    }
}
