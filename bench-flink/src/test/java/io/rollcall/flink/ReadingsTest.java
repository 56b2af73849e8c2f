package io.rollcall.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.schema.SeriesId;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ReadingsTest {

    @Test
    void takesTheUnsignedSeriesIdFromTheKeyAndKeepsTheValueUndecoded() {
        byte[] value = {1, 2, 3};
        List<Tuple2<Long, byte[]>> out = new ArrayList<>();

        new Readings().deserialize(new ConsumerRecord<>("events", 0, 0, SeriesId.MAX.toBytes(), value),
                new ListCollector<>(out));

        assertThat(out).singleElement().satisfies(reading -> {
            assertThat(reading.f0).isEqualTo(SeriesId.MAX.bits());
            assertThat(reading.f1).isSameAs(value);
        });
    }
}
