package io.rollcall.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/** Kafka Streams 4.4's lines around an unclean exactly-once stop, as {@code rollcall serve} logged them. */
class ExpectedRecoveriesTest {

    private static final String THREAD = "rollcall-85a05d48-StreamThread-1";
    private static final String STATE_MANAGER = "org.apache.kafka.streams.processor.internals.ProcessorStateManager";
    private static final String TASK_MANAGER = "org.apache.kafka.streams.processor.internals.TaskManager";
    private static final String STREAM_THREAD = "org.apache.kafka.streams.processor.internals.StreamThread";
    private static final String CHECKPOINT = "State store aggregates-all-time did not find checkpoint offsets while "
            + "stores are not empty, since under EOS it has the risk of getting uncommitted data in stores we have to "
            + "treat it as a task corruption error and wipe out the local state of task 0_1 before re-bootstrapping";

    private final ExpectedRecoveries policy = ExpectedRecoveries.create();

    @Test
    void afterAnUncleanStopTheStreamThreadsMissingCheckpointBecomesOneWarningNamingTheTaskAndTheRestore() {
        policy.rewrite(startUpFound("0_1"));

        LogEvent event = policy.rewrite(missingCheckpoint());

        assertThat(event.getLevel()).isEqualTo(Level.WARN);
        assertThat(event.getMessage().getFormattedMessage()).isEqualTo("task 0_1: local state left by an unclean "
                + "stop (exactly-once) is discarded and restored from the changelog; the 'restored …' lines report "
                + "its records and time");
        assertThat(event.getThrown()).isNull();
        assertThat(event.getMarker()).isNull();
        assertThat(event.getContextData().<String>getValue(LogContext.TASK)).isEqualTo("0_1");
    }

    @Test
    void duringARebalanceAMissingCheckpointBecomesOneWarningThatBlamesNoStop() {
        LogEvent event = policy.rewrite(missingCheckpoint());

        assertThat(event.getLevel()).isEqualTo(Level.WARN);
        assertThat(event.getMessage().getFormattedMessage()).startsWith("task 0_1: local state without checkpoint "
                + "(exactly-once: it may hold uncommitted writes) is discarded and restored from the changelog");
        assertThat(event.getThrown()).isNull();
    }

    @Test
    void theSameCheckAtStartUpIsMarkedRepeated() {
        LogEvent event = policy.rewrite(event(STATE_MANAGER, Level.WARN,
                "stream-client [rollcall-85a05d48] " + CHECKPOINT, null));

        assertThat(event.getMarker()).isEqualTo(ExpectedRecoveries.REPEATED);
    }

    @Test
    void theStartUpsReportOfTheTaskIsMarkedRepeated() {
        assertThat(policy.rewrite(startUpFound("0_1")).getMarker()).isEqualTo(ExpectedRecoveries.REPEATED);
    }

    @Test
    void theErrorListingOnlyCorruptedTasksIsMarkedRepeated() {
        LogEvent event = policy.rewrite(event(TASK_MANAGER, Level.ERROR, "stream-thread [" + THREAD + "] Get "
                + "exceptions for the following tasks: {0_1=" + corrupted("0_1") + ", 2_1=" + corrupted("2_1") + "}",
                null));

        assertThat(event.getMarker()).isEqualTo(ExpectedRecoveries.REPEATED);
    }

    @Test
    void theErrorListingAnotherExceptionStaysAnError() {
        String message = "stream-thread [" + THREAD + "] Get exceptions for the following tasks: {0_1="
                + corrupted("0_1") + ", 0_2=" + new StreamsException("disk full") + "}";

        LogEvent event = policy.rewrite(event(TASK_MANAGER, Level.ERROR, message, null));

        assertThat(event.getLevel()).isEqualTo(Level.ERROR);
        assertThat(event.getMessage().getFormattedMessage()).isEqualTo(message);
        assertThat(event.getMarker()).isNull();
    }

    @Test
    void anErrorWithAnotherExceptionKeepsItsStackTrace() {
        IllegalStateException failure = new IllegalStateException("store closed");
        LogEvent original = event(TASK_MANAGER, Level.ERROR, "stream-thread [" + THREAD + "] Failed to process", failure);

        assertThat(policy.rewrite(original)).isSameAs(original);
    }

    @Test
    void aRocksDbStoreLeftOpenBecomesOneWarningNamingTheTaskWithoutTheStackTrace() {
        policy.rewrite(startUpFound("0_4"));

        LogEvent event = policy.rewrite(corruptedTask("0_4", new ProcessorStateException("State store "
                + "aggregates-all-time didn't find a valid state, since under EOS it has the risk of getting uncommitted "
                + "data in stores", new ProcessorStateException("Invalid state during store open. Expected state to be "
                + "either empty or closed"))));

        assertThat(event.getLevel()).isEqualTo(Level.WARN);
        assertThat(event.getMessage().getFormattedMessage()).startsWith("task 0_4: local state left by an unclean "
                + "stop (exactly-once) is discarded and restored from the changelog");
        assertThat(event.getThrown()).isNull();
        assertThat(event.getContextData().<String>getValue(LogContext.TASK)).isEqualTo("0_4");
    }

    @Test
    void theWarningWithAStackTraceForATaskAlreadyReportedIsMarkedRepeated() {
        policy.rewrite(missingCheckpoint());

        LogEvent event = policy.rewrite(corruptedTask("0_1", null));

        assertThat(event.getMarker()).isEqualTo(ExpectedRecoveries.REPEATED);
    }

    @Test
    void aTaskCorruptedForAnotherReasonGetsOneWarningWithTheCause() {
        LogEvent event = policy.rewrite(corruptedTask("0_3", new ProcessorStateException("changelog truncated")));

        assertThat(event.getLevel()).isEqualTo(Level.WARN);
        assertThat(event.getMessage().getFormattedMessage()).startsWith("task 0_3: corrupted local state "
                + "(changelog truncated) is discarded and restored from the changelog");
        assertThat(event.getThrown()).isNull();
    }

    @Test
    void theGroupWarningIsMarkedRepeatedWhenEveryTaskInItWasAnnounced() {
        policy.rewrite(missingCheckpoint());

        LogEvent event = policy.rewrite(group(new TaskId(0, 1)));

        assertThat(event.getMarker()).isEqualTo(ExpectedRecoveries.REPEATED);
    }

    @Test
    void theGroupWarningForTasksCorruptedOtherwiseBecomesOneWarningNamingThem() {
        LogEvent event = policy.rewrite(group(new TaskId(0, 3), new TaskId(2, 3)));

        assertThat(event.getLevel()).isEqualTo(Level.WARN);
        assertThat(event.getMessage().getFormattedMessage()).startsWith("tasks 0_3, 2_3: corrupted local state "
                + "is discarded and restored from the changelog");
        assertThat(event.getThrown()).isNull();
        assertThat(event.getMarker()).isNull();
    }

    @Test
    void aLineOfAnotherLoggerIsLeftAsIs() {
        LogEvent original = event("io.rollcall.app.RollcallApp", Level.ERROR, "stream thread died",
                new TaskCorruptedException(Set.of(new TaskId(0, 1))));

        assertThat(policy.rewrite(original)).isSameAs(original);
    }

    private static String corrupted(String task) {
        return TaskCorruptedException.class.getName() + ": Tasks [" + task + "] are corrupted and hence need to be "
                + "re-initialized";
    }

    private static LogEvent missingCheckpoint() {
        return event(STATE_MANAGER, Level.WARN, "stream-thread [" + THREAD + "] stream-task [0_1] " + CHECKPOINT, null);
    }

    private static LogEvent startUpFound(String task) {
        return event("org.apache.kafka.streams.processor.internals.StateDirectory", Level.WARN, "Failed to register "
                + "startup state stores for task " + task + ": " + new TaskCorruptedException(Set.of(TaskId.parse(task)))
                .getMessage(), null);
    }

    private static LogEvent corruptedTask(String task, ProcessorStateException cause) {
        TaskId id = TaskId.parse(task);
        TaskCorruptedException corrupted = cause == null ? new TaskCorruptedException(Set.of(id))
                : new TaskCorruptedException(Set.of(id), cause);
        return event(TASK_MANAGER, Level.WARN, "stream-thread [" + THREAD + "] Encounter corrupted task " + task
                + ", will group it with other corrupted tasks and handle together", corrupted);
    }

    private static LogEvent group(TaskId... tasks) {
        TaskCorruptedException corrupted = new TaskCorruptedException(Set.of(tasks));
        return event(STREAM_THREAD, Level.WARN, "stream-thread [" + THREAD + "] Detected the states of tasks "
                + corrupted.corruptedTasks() + " are corrupted. Will close the task as dirty and re-create and "
                + "bootstrap from scratch.", corrupted);
    }

    private static LogEvent event(String logger, Level level, String message, Throwable thrown) {
        return Log4jLogEvent.newBuilder()
                .setLoggerName(logger)
                .setLevel(level)
                .setThreadName(THREAD)
                .setMessage(new SimpleMessage(message))
                .setThrown(thrown)
                .build();
    }
}
