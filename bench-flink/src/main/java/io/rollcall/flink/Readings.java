package io.rollcall.flink;

import io.rollcall.schema.SeriesId;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * An events-topic record as (series id from its 8-byte key, value bytes); the record's timestamp
 * goes with it as its event time. The value is decoded after the shuffle, by the task that owns
 * the series, as rollcall's aggregator does after its repartition.
 */
final class Readings implements KafkaRecordDeserializationSchema<Tuple2<Long, byte[]>> {

    static final TypeInformation<Tuple2<Long, byte[]>> TYPE = Types.TUPLE(Types.LONG, Types.PRIMITIVE_ARRAY(Types.BYTE));

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Tuple2<Long, byte[]>> out) {
        out.collect(Tuple2.of(SeriesId.fromBytes(record.key()).bits(), record.value()));
    }

    @Override
    public TypeInformation<Tuple2<Long, byte[]>> getProducedType() {
        return TYPE;
    }
}
