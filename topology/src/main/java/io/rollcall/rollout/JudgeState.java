package io.rollcall.rollout;

import io.rollcall.aggregate.QuantileSketch;
import io.rollcall.schema.avro.Decision;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What the judge remembers of one service, in its state store (so it survives restarts and
 * moves with the task): the rollout being judged, the windows still open, the count of
 * passing and failing windows, the evidence of the closed windows, whether a terminal verdict
 * was published, and the ids of rollouts that already ended — a rollout id gets one terminal
 * verdict, ever.
 * Immutable: every change returns a new state.
 *
 * @param rolloutId  the rollout being judged; null when the service has none
 * @param nextWindow index of the next window to close
 * @param terminal   PROMOTE or ROLLBACK once published for {@code rolloutId}; else null
 * @param open       windows with samples that have not closed yet, by index
 * @param finished   ids of earlier rollouts of this service that reached a terminal verdict (newest last)
 * @param verdicts   verdicts published for this service so far; numbers the history
 * @param late       samples that arrived after their window had closed (dropped)
 * @param evidence   per check of the rollout's SLOs (see {@link Judgement}), of the windows closed so far
 */
public record JudgeState(String rolloutId, int nextWindow, int passing, int failing, Decision terminal,
                         NavigableMap<Integer, WindowStats> open, List<String> finished, long verdicts, long late,
                         List<Evidence> evidence) {

    /** Rollout ids of a service remembered after they ended. */
    static final int FINISHED_KEPT = 64;

    /**
     * Version 3 adds the canary's counts to the evidence; version 2 (evidence without counts)
     * is read with counts of 0, version 1 (without evidence) as no evidence yet.
     */
    private static final byte VERSION = 3;
    private static final byte WITHOUT_COUNTS = 2;
    private static final byte WITHOUT_EVIDENCE = 1;

    public JudgeState {
        open = Collections.unmodifiableNavigableMap(new TreeMap<>(open));
        finished = List.copyOf(finished);
        evidence = List.copyOf(evidence);
    }

    public static JudgeState none() {
        return new JudgeState(null, 0, 0, 0, null, new TreeMap<>(), List.of(), 0, 0, List.of());
    }

    /** A fresh state for {@code id}, keeping what is remembered across rollouts. */
    public JudgeState start(String id) {
        return new JudgeState(id, 0, 0, 0, null, new TreeMap<>(), finished, verdicts, 0, List.of());
    }

    /** No rollout any more (its spec was removed); remembers a terminal one. */
    public JudgeState stop() {
        return new JudgeState(null, 0, 0, 0, null, new TreeMap<>(), finished, verdicts, 0, List.of());
    }

    public boolean hasEnded(String id) {
        return id.equals(rolloutId) && terminal != null || finished.contains(id);
    }

    public JudgeState withSample(int window, Sample sample) {
        TreeMap<Integer, WindowStats> next = new TreeMap<>(open);
        next.merge(window, WindowStats.empty().add(sample), (old, ignored) -> old.add(sample));
        return new JudgeState(rolloutId, nextWindow, passing, failing, terminal, next, finished, verdicts, late,
                evidence);
    }

    public JudgeState withLate() {
        return new JudgeState(rolloutId, nextWindow, passing, failing, terminal, open, finished, verdicts, late + 1,
                evidence);
    }

    public WindowStats window(int index) {
        return open.getOrDefault(index, WindowStats.empty());
    }

    /** Closes window {@code nextWindow} with the given counters and, if terminal, the decision; the evidence stays. */
    public JudgeState closed(int passing, int failing, Decision terminalDecision) {
        return closed(passing, failing, terminalDecision, evidence);
    }

    /** Closes window {@code nextWindow} with the given counters, evidence and, if terminal, the decision. */
    public JudgeState closed(int passing, int failing, Decision terminalDecision, List<Evidence> evidence) {
        TreeMap<Integer, WindowStats> next = new TreeMap<>(open.tailMap(nextWindow, false));
        return new JudgeState(rolloutId, nextWindow + 1, passing, failing, terminalDecision, next,
                terminalDecision == null ? finished : remember(rolloutId), verdicts + 1, late, evidence);
    }

    /** A terminal decision before the window closed (fast rollback). */
    public JudgeState endedEarly(int failing, Decision decision) {
        return new JudgeState(rolloutId, nextWindow, 0, failing, decision, new TreeMap<>(), remember(rolloutId),
                verdicts + 1, late, evidence);
    }

    private List<String> remember(String id) {
        List<String> list = new ArrayList<>(finished);
        list.remove(id);
        list.add(id);
        return list.size() > FINISHED_KEPT ? list.subList(list.size() - FINISHED_KEPT, list.size()) : list;
    }

    /** Binary layout, versioned; internal to the judge's store and its changelog. */
    public static Serde<JudgeState> serde() {
        return Serdes.serdeFrom((topic, state) -> state == null ? null : state.toBytes(),
                (topic, bytes) -> bytes == null ? null : fromBytes(bytes));
    }

    byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeBoolean(rolloutId != null);
            if (rolloutId != null) {
                out.writeUTF(rolloutId);
            }
            out.writeInt(nextWindow);
            out.writeInt(passing);
            out.writeInt(failing);
            out.writeByte(terminal == null ? -1 : terminal.ordinal());
            out.writeInt(open.size());
            for (var entry : open.entrySet()) {
                out.writeInt(entry.getKey());
                write(out, entry.getValue().canary());
                write(out, entry.getValue().baseline());
            }
            out.writeInt(finished.size());
            for (String id : finished) {
                out.writeUTF(id);
            }
            out.writeLong(verdicts);
            out.writeLong(late);
            out.writeInt(evidence.size());
            for (Evidence check : evidence) {
                out.writeInt(check.windows());
                out.writeDouble(check.information());
                out.writeDouble(check.weighted());
                out.writeDouble(check.scale());
                out.writeLong(check.requests());
                out.writeLong(check.errors());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(DataOutputStream out, RoleStats stats) throws IOException {
        out.writeLong(stats.count());
        out.writeLong(stats.errors());
        byte[] sketch = stats.sketch().toBytes();
        out.writeInt(sketch.length);
        out.write(sketch);
    }

    static JudgeState fromBytes(byte[] bytes) {
        // Checked before reading on, so a state from a newer release (an upgrade rolled back)
        // is reported as such, not as corrupt.
        if (bytes.length > 0 && bytes[0] != VERSION && bytes[0] != WITHOUT_COUNTS && bytes[0] != WITHOUT_EVIDENCE) {
            throw new SerializationException("judge state of an unknown version " + bytes[0]
                    + "; this release reads versions " + WITHOUT_EVIDENCE + " to " + VERSION);
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            byte version = in.readByte();
            String id = in.readBoolean() ? in.readUTF() : null;
            int nextWindow = in.readInt();
            int passing = in.readInt();
            int failing = in.readInt();
            byte terminal = in.readByte();
            int windows = in.readInt();
            TreeMap<Integer, WindowStats> open = new TreeMap<>();
            for (int i = 0; i < windows; i++) {
                int index = in.readInt();
                open.put(index, new WindowStats(read(in), read(in)));
            }
            int finishedCount = in.readInt();
            List<String> finished = new ArrayList<>(finishedCount);
            for (int i = 0; i < finishedCount; i++) {
                finished.add(in.readUTF());
            }
            long verdicts = in.readLong();
            long late = in.readLong();
            List<Evidence> evidence = new ArrayList<>();
            if (version != WITHOUT_EVIDENCE) {
                int checks = in.readInt();
                for (int i = 0; i < checks; i++) {
                    evidence.add(new Evidence(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(),
                            version == VERSION ? in.readLong() : 0, version == VERSION ? in.readLong() : 0));
                }
            }
            if (in.available() > 0) {
                throw new SerializationException("judge state with trailing bytes");
            }
            return new JudgeState(id, nextWindow, passing, failing, terminal < 0 ? null : Decision.values()[terminal],
                    open, finished, verdicts, late, evidence);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("corrupt judge state", e);
        }
    }

    private static RoleStats read(DataInputStream in) throws IOException {
        long count = in.readLong();
        long errors = in.readLong();
        byte[] sketch = new byte[in.readInt()];
        in.readFully(sketch);
        return new RoleStats(count, errors, QuantileSketch.fromBytes(sketch));
    }
}
