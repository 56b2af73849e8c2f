package io.rollcall.it;

import io.apicurio.registry.serde.Default4ByteIdHandler;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.IdOption;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.apicurio.registry.serde.kafka.config.KafkaSerdeConfig;
import io.apicurio.registry.serde.strategy.TopicIdStrategy;
import io.rollcall.schema.avro.MetricEvent;
import java.util.Map;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A registry-aware Avro producer's value serializer, as a producer outside rollcall would run it:
 * Apicurio's Kafka Avro serializer registers the value's schema under {@code <topic>-value} and
 * writes the Confluent wire format — magic byte 0, the schema's 4-byte big-endian id, the Avro
 * binary body.
 *
 * <p>Apicurio's serializer talks to Apicurio's own API, not the Confluent-compatible one, but the
 * ids agree: Apicurio writes the content id, and its Confluent-compatible API names schemas by
 * content id (unless the registry runs in {@code apicurio.ccompat.legacy-id-mode}). Each framing
 * setting is spelled out, so that a change of Apicurio's defaults cannot change the bytes.
 *
 * <p>By default Apicurio registers each named type a record uses (an enum, a nested record) as an
 * artifact of its own and the record's schema with references to them; dereferenced, the subject
 * holds one self-contained schema, as Confluent's serializer registers it.
 *
 * <p>The serializer caches by schema content: one instance registers a schema under the subject
 * of the first topic it writes it to, and for later topics writes the same id without
 * registering their subjects.
 */
final class RegistryAvroSerializer {

    static {
        // Avro 1.12 builds only the classes it trusts (CVE-2024-47561); a producer writing generated
        // records trusts them and their enums, as one outside rollcall would have to as well.
        String generated = MetricEvent.class.getPackageName();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                cls -> cls.getPackageName().equals(generated)));
    }

    private RegistryAvroSerializer() {
    }

    /** A value serializer for {@code registry}, configured, for rollcall's records and generic ones. */
    static <T> Serializer<T> forValues(SchemaRegistry registry) {
        AvroKafkaSerializer<T> serializer = new AvroKafkaSerializer<>();
        serializer.configure(config(registry), false);
        return serializer;
    }

    /**
     * A value deserializer for {@code registry} with the same settings: reads the Confluent wire
     * format into generic records, as a consumer or a registry-aware converter would.
     */
    static Deserializer<Object> deserializerForValues(SchemaRegistry registry) {
        AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(config(registry), false);
        return deserializer;
    }

    /** The serializer's settings, also usable as a producer's {@code value.serializer} configuration. */
    static Map<String, Object> config(SchemaRegistry registry) {
        return Map.of(
                SerdeConfig.REGISTRY_URL, registry.apicurioUrl(),
                SerdeConfig.AUTO_REGISTER_ARTIFACT, true,
                SerdeConfig.DEREFERENCE_SCHEMA, true,
                SerdeConfig.ARTIFACT_RESOLVER_STRATEGY, TopicIdStrategy.class.getName(),
                SerdeConfig.ID_HANDLER, Default4ByteIdHandler.class.getName(),
                SerdeConfig.USE_ID, IdOption.contentId.name(),
                KafkaSerdeConfig.ENABLE_HEADERS, false,
                AvroSerdeConfig.AVRO_ENCODING, AvroSerdeConfig.AVRO_ENCODING_BINARY);
    }
}
