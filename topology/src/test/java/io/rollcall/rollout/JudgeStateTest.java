package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.schema.avro.Decision;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JudgeStateTest {

    @Test
    void roundTripsThroughItsStoreEncoding() {
        JudgeState state = JudgeState.none().start("r1")
                .withSample(0, new Sample("r1", Role.CANARY, 120.5, true, 1))
                .withSample(0, new Sample("r1", Role.BASELINE, 80.0, false, 2))
                .withSample(1, new Sample("r1", Role.CANARY, 99.0, false, 3))
                .withLate()
                .closed(1, 0, null);

        JudgeState back = JudgeState.fromBytes(state.toBytes());

        assertThat(back.rolloutId()).isEqualTo("r1");
        assertThat(back.nextWindow()).isEqualTo(1);
        assertThat(back.passing()).isEqualTo(1);
        assertThat(back.late()).isEqualTo(1);
        assertThat(back.verdicts()).isEqualTo(1);
        assertThat(back.open()).containsOnlyKeys(1);
        assertThat(back.window(1).canary().count()).isEqualTo(1);
        assertThat(back.window(1).canary().quantile(0.5)).isEqualTo(state.window(1).canary().quantile(0.5));
    }

    @Test
    void roundTripsTheEvidenceOfEachCheck() {
        RoleStats canary = RoleStats.empty().add(120.5, true).add(80.0, false);
        List<Evidence> evidence = List.of(Evidence.NONE.plus(new Effect(0.12, 0.05), 0.15, canary),
                Evidence.NONE.plus(new Effect(-0.004, 0.002), 0.01).plus(new Effect(0.001, 0.003), 0.02, canary));
        JudgeState state = JudgeState.none().start("r1").closed(1, 0, null, evidence);

        assertThat(JudgeState.fromBytes(state.toBytes()).evidence()).isEqualTo(evidence);
    }

    /**
     * The fields every version so far starts with: the version, id "r2", next window 3,
     * passing 2, failing 1, no terminal decision, no open window, the ended ids, 4 verdicts,
     * 7 late samples.
     */
    private static void writeVersionOneFields(DataOutputStream out, int version, List<String> ended)
            throws IOException {
        out.writeByte(version);
        out.writeBoolean(true);
        out.writeUTF("r2");
        out.writeInt(3);
        out.writeInt(2);
        out.writeInt(1);
        out.writeByte(-1);
        out.writeInt(0);
        out.writeInt(ended.size());
        for (String id : ended) {
            out.writeUTF(id);
        }
        out.writeLong(4);
        out.writeLong(7);
    }

    @Test
    void readsVersionOneStateAsHavingNoEvidenceYet() throws IOException {
        // The layout before the evidence: version 1, id, next window, passing, failing, terminal,
        // no open window, the ended ids, verdicts, late samples.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writeVersionOneFields(out, 1, List.of("r1"));

        JudgeState state = JudgeState.fromBytes(bytes.toByteArray());

        assertThat(state).isEqualTo(new JudgeState("r2", 3, 2, 1, null, new TreeMap<>(), List.of("r1"), 4, 7,
                List.of()));
    }

    @Test
    void writesVersionThree() {
        assertThat(JudgeState.none().toBytes()[0]).isEqualTo((byte) 3);
    }

    @Test
    void readsVersionTwoEvidenceWithoutTheCanarysCounts() throws IOException {
        // Version 2: as version 1, then per check its windows, information, weighted sum and τ.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writeVersionOneFields(out, 2, List.of());
        out.writeInt(1);
        out.writeInt(2);
        out.writeDouble(400.0);
        out.writeDouble(20.0);
        out.writeDouble(0.15);

        JudgeState state = JudgeState.fromBytes(bytes.toByteArray());

        assertThat(state.evidence()).containsExactly(new Evidence(2, 400.0, 20.0, 0.15, 0, 0));
    }

    @Test
    void remembersEndedRolloutsAcrossStopAndStart() {
        JudgeState ended = JudgeState.none().start("r1").endedEarly(1, Decision.ROLLBACK);
        assertThat(ended.hasEnded("r1")).isTrue();
        JudgeState later = JudgeState.fromBytes(ended.stop().start("r2").toBytes());
        assertThat(later.hasEnded("r1")).isTrue();
        assertThat(later.hasEnded("r2")).isFalse();
        assertThat(later.terminal()).isNull();
    }

    @Test
    void forgetsTheOldestEndedRolloutsBeyondItsBound() {
        JudgeState state = JudgeState.none();
        for (int i = 0; i < JudgeState.FINISHED_KEPT + 5; i++) {
            state = state.start("r" + i).endedEarly(1, Decision.ROLLBACK);
        }
        assertThat(state.finished()).hasSize(JudgeState.FINISHED_KEPT);
        assertThat(state.hasEnded("r0")).isFalse();
        assertThat(state.hasEnded("r" + (JudgeState.FINISHED_KEPT + 4))).isTrue();
    }

    @Test
    void corruptBytesAreASerializationErrorNotACrash() {
        assertThatThrownBy(() -> JudgeState.fromBytes(new byte[] {1, 1, 0})).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> JudgeState.fromBytes(new byte[] {9})).isInstanceOf(SerializationException.class);
    }
}
