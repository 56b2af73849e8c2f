package io.rollcall.schema.registry;

import org.apache.avro.Schema;

/**
 * Where the writer schemas of Confluent-framed records come from: a schema registry, looked up
 * by the id each record carries.
 */
@FunctionalInterface
public interface WriterSchemas {

    /**
     * The schema registered under {@code id}.
     *
     * @throws UnknownSchemaIdException the registry answered that no schema has this id: bad data
     * @throws RegistryUnavailableException the registry could not be asked (down, slow, 5xx):
     *                                      not the record's fault, try again later
     */
    Schema byId(int id);
}
