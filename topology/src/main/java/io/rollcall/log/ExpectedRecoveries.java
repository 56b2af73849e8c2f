package io.rollcall.log;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.rewrite.RewritePolicy;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.SortedArrayStringMap;

/**
 * Kafka Streams' report of an expected recovery, reduced to one warning per task. After an
 * unclean stop under exactly-once (SIGKILL, OOM kill, lost node) Kafka Streams finds stores it
 * cannot trust (a RocksDB store still marked open, or another store without checkpoint), discards
 * them and restores them from their changelogs, and says so in up to five lines per task: the
 * untrusted store at start-up, again when the stream thread initializes the task, an ERROR
 * listing every corrupted task, a stack trace per task and one for the group. Operators read
 * the ERROR and the traces as a failure, but nothing failed. The same happens without any stop
 * during a rebalance, to a task that an instance keeps as a standby after it was active there:
 * the line then says that the state had no checkpoint, not that something stopped.
 *
 * <p>This policy rewrites the stream thread's first line about a task into one warning that
 * says what happens and what it costs, and marks the other lines of the same recovery
 * {@link #REPEATED} (log4j2.xml drops them with a {@code MarkerFilter}). It matches Kafka 4.4's
 * messages exactly: an ERROR that lists any other exception, and any other line, pass unchanged,
 * so a real failure keeps its level and stack trace, and a message reworded by a later Kafka only
 * brings the old lines back. Corruption with another cause (a changelog truncated below the
 * checkpoint, a commit timing out) gets one line too, with the cause and without the stack trace.
 *
 * <p>A rewrite policy, because a filter can only let a line through or drop it, not reword it;
 * one instance sees every line, so it remembers which tasks it has reported until Kafka Streams
 * reports their group. It is a plugin found through the descriptor that log4j-core's annotation
 * processor writes at compile time (merged with log4j-core's own in the shaded jar).
 */
@Plugin(name = "ExpectedRecoveries", category = Core.CATEGORY_NAME, elementType = "rewritePolicy", printObject = true)
public final class ExpectedRecoveries implements RewritePolicy {

    /** Lines that repeat what another line of the same event says; every policy of this package marks them so. */
    public static final Marker REPEATED = MarkerManager.getMarker("ROLLCALL_REPEATED");

    private static final String KAFKA_STREAMS = "org.apache.kafka.streams.processor.internals.";
    private static final String STATE_MANAGER = KAFKA_STREAMS + "ProcessorStateManager";
    private static final String STATE_DIRECTORY = KAFKA_STREAMS + "StateDirectory";
    private static final String TASK_MANAGER = KAFKA_STREAMS + "TaskManager";
    private static final String STREAM_THREAD = KAFKA_STREAMS + "StreamThread";

    /** TaskCorruptedException's message; its task list never holds a ']'. */
    private static final String CORRUPTED = "Tasks \\[[^\\]]*\\] are corrupted and hence need to be re-initialized";
    /**
     * ProcessorStateManager under exactly-once, on a non-empty store without checkpoint: from the
     * stream thread ({@code stream-thread [...] stream-task [0_1] ...}, or {@code standby-task}) or,
     * before, from the start-up registration of the local state ({@code stream-client [...] ...}).
     */
    private static final Pattern MISSING_CHECKPOINT = Pattern.compile("(?<owner>stream-thread|stream-client) \\[[^\\]]*\\] "
            + "(?:\\S+-task \\[[^\\]]*\\] )?State store \\S+ did not find checkpoint offsets while stores "
            + "are not empty, since under EOS .* wipe out the local state of task (?<task>\\S+) before re-bootstrapping");
    private static final Pattern STARTUP_TASK_CORRUPTED = Pattern.compile(
            "Failed to register startup state stores for task (?<task>\\S+): " + CORRUPTED);
    private static final Pattern TASK_EXCEPTIONS = Pattern.compile(".*Get exceptions for the following tasks: \\{(?:"
            + "\\S+=org\\.apache\\.kafka\\.streams\\.errors\\.TaskCorruptedException: " + CORRUPTED + "(?:, |\\}$))+");
    private static final Pattern CORRUPTED_TASK = Pattern.compile(".*Encounter corrupted task (?<task>\\S+), will group "
            + "it with other corrupted tasks and handle together");
    /** RocksDBStore under exactly-once, on a store that was open when the instance stopped. */
    private static final Pattern UNCLEAN_STORE = Pattern.compile("State store \\S+ didn't find a valid state, since "
            + "under EOS .*");
    private static final Pattern CORRUPTED_GROUP = Pattern.compile(".*Detected the states of tasks \\[[^\\]]*\\] are "
            + "corrupted\\. Will close the task as dirty and re-create and bootstrap from scratch\\.");

    private static final String UNCLEAN_STOP = "local state left by an unclean stop (exactly-once)";
    /** The same check during a rebalance: a task this instance keeps as a standby, or gets back. */
    private static final String UNCHECKPOINTED = "local state without checkpoint (exactly-once: it may hold "
            + "uncommitted writes)";
    private static final String CORRUPTED_STATE = "corrupted local state";

    /** Tasks whose local state the start-up found untrustworthy: what the stream thread finds then is an unclean stop. */
    private final Set<String> uncleanAtStart = ConcurrentHashMap.newKeySet();
    /** Tasks whose recovery has been logged, until Kafka Streams reports their group. */
    private final Set<String> announced = ConcurrentHashMap.newKeySet();

    private ExpectedRecoveries() {
    }

    @PluginFactory
    public static ExpectedRecoveries create() {
        return new ExpectedRecoveries();
    }

    @Override
    public LogEvent rewrite(LogEvent event) {
        String logger = event.getLoggerName();
        if (!logger.startsWith(KAFKA_STREAMS)) {
            return event;
        }
        String message = event.getMessage().getFormattedMessage();
        Throwable thrown = event.getThrown();
        return switch (logger) {
            case STATE_MANAGER -> missingCheckpoint(event, message);
            case STATE_DIRECTORY -> startupTask(event, message);
            case TASK_MANAGER -> taskManager(event, message, thrown);
            case STREAM_THREAD -> thrown instanceof TaskCorruptedException corrupted
                    && CORRUPTED_GROUP.matcher(message).matches() ? corruptedGroup(event, corrupted) : event;
            default -> event;
        };
    }

    /** A store without checkpoint: from the stream thread, its first line about the task. */
    private LogEvent missingCheckpoint(LogEvent event, String message) {
        Matcher matcher = MISSING_CHECKPOINT.matcher(message);
        if (!matcher.matches()) {
            return event;
        }
        if (matcher.group("owner").equals("stream-client")) {
            // Start-up only reads the local state; the stream thread that gets the task checks it
            // again and discards it, and a task assigned to another instance is not restored here.
            return repeated(event);
        }
        return untrusted(event, matcher.group("task"));
    }

    /** Start-up's report of a task whose local state it cannot trust, remembered as left by an unclean stop. */
    private LogEvent startupTask(LogEvent event, String message) {
        Matcher matcher = STARTUP_TASK_CORRUPTED.matcher(message);
        if (!matcher.matches()) {
            return event;
        }
        uncleanAtStart.add(matcher.group("task"));
        return repeated(event);
    }

    private LogEvent taskManager(LogEvent event, String message, Throwable thrown) {
        if (thrown == null && TASK_EXCEPTIONS.matcher(message).matches()) {
            return repeated(event);
        }
        Matcher matcher = CORRUPTED_TASK.matcher(message);
        if (!(thrown instanceof TaskCorruptedException) || !matcher.matches()) {
            return event;
        }
        String task = matcher.group("task");
        if (untrustedStore(thrown)) {
            return untrusted(event, task);
        }
        Throwable cause = thrown.getCause();
        return announce(event, task, cause == null ? CORRUPTED_STATE
                : CORRUPTED_STATE + " (" + cause.getMessage() + ")");
    }

    /** Whether a RocksDB store left open made the task corrupted: under exactly-once, the same as a missing checkpoint. */
    private static boolean untrustedStore(Throwable corrupted) {
        for (Throwable cause = corrupted.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && UNCLEAN_STORE.matcher(cause.getMessage()).matches()) {
                return true;
            }
        }
        return false;
    }

    /** A store Kafka Streams cannot trust under exactly-once: after an unclean stop if start-up said so. */
    private LogEvent untrusted(LogEvent event, String task) {
        return announce(event, task, uncleanAtStart.remove(task) ? UNCLEAN_STOP : UNCHECKPOINTED);
    }

    private LogEvent announce(LogEvent event, String task, String state) {
        return announced.add(task) ? oneLine(event, task, "task " + task + ": " + state) : repeated(event);
    }

    /** Kafka Streams' report of the group: tasks whose recovery was not logged yet get one line. */
    private LogEvent corruptedGroup(LogEvent event, TaskCorruptedException corrupted) {
        Set<String> unannounced = new TreeSet<>();
        corrupted.corruptedTasks().forEach(task -> unannounced.add(task.toString()));
        unannounced.removeIf(announced::remove);
        if (unannounced.isEmpty()) {
            return repeated(event);
        }
        String tasks = String.join(", ", unannounced);
        return oneLine(event, tasks, "tasks " + tasks + ": " + CORRUPTED_STATE);
    }

    private static LogEvent repeated(LogEvent event) {
        return new Log4jLogEvent.Builder(event.toImmutable()).setMarker(REPEATED).build();
    }

    /**
     * The event at WARN without its stack trace, saying that {@code state} is discarded and what
     * that costs, with {@code tasks} as a context field.
     */
    private static LogEvent oneLine(LogEvent event, String tasks, String state) {
        SortedArrayStringMap context = new SortedArrayStringMap(event.getContextData());
        context.putValue(LogContext.TASK, tasks);
        return new Log4jLogEvent.Builder(event.toImmutable())
                .setLevel(Level.WARN)
                .setMessage(new SimpleMessage(state + " is discarded and restored from the changelog; "
                        + "the 'restored …' lines report its records and time"))
                .setThrown(null)
                .setThrownProxy(null)
                .setContextData(context)
                .build();
    }
}
