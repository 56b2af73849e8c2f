package io.rollcall.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class SampledTest {

    private final Serde<Sampled> serde = Sampled.serde();

    private Sampled roundTrip(Sampled value) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }

    @Test
    void aSampleReadsBackEqual() {
        Sample sample = new Sample("checkout-r1", Role.BASELINE, 123.25, true, 1_764_151_200_000L);

        assertThat(roundTrip(sample)).isEqualTo(sample);
    }

    @Test
    void aProgressReadsBackEqual() {
        Progress progress = new Progress(11, 1_764_151_200_000L);

        assertThat(roundTrip(progress)).isEqualTo(progress);
    }

    @Test
    void aRecordOfAnUnknownFormatIsRefused() {
        byte[] bytes = new Progress(0, 1).toBytes();
        bytes[0] = 9;

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format 9");
    }

    @Test
    void progressGoesToEveryPartition() {
        assertThat(Sampled.partitioner().partitions("t", "", new Progress(0, 1), 4)).hasValue(java.util.Set.of(0, 1, 2, 3));
    }

    @Test
    void samplesGoByTheirKey() {
        assertThat(Sampled.partitioner().partitions("t", "checkout",
                new Sample("r1", Role.CANARY, 1, false, 1), 4)).isEmpty();
    }
}
