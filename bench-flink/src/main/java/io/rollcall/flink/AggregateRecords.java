package io.rollcall.flink;

import io.rollcall.aggregate.Aggregate;
import io.rollcall.aggregate.AggregateCodec;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Output records in the {@code metric-aggregates} topic's encoding ({@link AggregateCodec#serde()},
 * quantiles included): all-time aggregates keyed by the 8-byte series id, and closed windows keyed
 * by the id followed by the window's start (8 bytes each, big-endian, as Kafka Streams keys a window).
 */
final class AggregateRecords {

    private AggregateRecords() {
    }

    static KafkaRecordSerializationSchema<Aggregate> allTime(String topic) {
        return new Encoding<>(topic) {
            @Override
            public ProducerRecord<byte[], byte[]> serialize(Aggregate aggregate, KafkaSinkContext context, Long timestamp) {
                return new ProducerRecord<>(topic, null, timestamp, aggregate.id().toBytes(), encode(aggregate));
            }
        };
    }

    static KafkaRecordSerializationSchema<Tuple2<Long, Aggregate>> windows(String topic) {
        return new Encoding<>(topic) {
            @Override
            public ProducerRecord<byte[], byte[]> serialize(Tuple2<Long, Aggregate> window, KafkaSinkContext context,
                                                            Long timestamp) {
                byte[] key = ByteBuffer.allocate(2 * Long.BYTES).putLong(window.f1.id().bits()).putLong(window.f0).array();
                return new ProducerRecord<>(topic, null, timestamp, key, encode(window.f1));
            }
        };
    }

    private abstract static class Encoding<T> implements KafkaRecordSerializationSchema<T> {
        final String topic;
        private transient Serializer<Aggregate> values;

        Encoding(String topic) {
            this.topic = topic;
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
            values = AggregateCodec.serde().serializer();
        }

        byte[] encode(Aggregate aggregate) {
            return values.serialize(topic, aggregate);
        }
    }
}
