package io.rollcall.rollout;

import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.BadRecordException;
import io.rollcall.schema.avro.RolloutSpec;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serdes of the rollout topics. */
public final class RolloutSerdes {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutSerdes.class);

    private RolloutSerdes() {
    }

    /**
     * Specs as on the rollouts topic, but an undecodable record reads as "no spec" (with a
     * warning) instead of stopping the global thread: the rollouts topic is written by
     * people and tools, and one bad record must not stop judging every other rollout.
     */
    public static Serde<RolloutSpec> lenientSpec() {
        AvroSerde<RolloutSpec> strict = AvroSerde.rolloutSpec();
        Deserializer<RolloutSpec> lenient = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return strict.deserialize(bytes);
            } catch (BadRecordException e) {
                LOG.warn("ignoring an undecodable rollout spec on {} ({}): {}", topic, e.reason(), e.getMessage());
                return null;
            }
        };
        return Serdes.serdeFrom(strict.serializer(), lenient);
    }
}
