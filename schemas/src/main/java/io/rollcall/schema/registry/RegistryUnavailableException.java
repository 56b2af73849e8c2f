package io.rollcall.schema.registry;

/**
 * The schema registry could not be asked — unreachable, timed out, or answering 5xx. Never a
 * reason to dead-letter a record: the record is read again once the registry is back.
 */
public final class RegistryUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
