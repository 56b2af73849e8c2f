package io.rollcall.config;

/** A setting that is missing or invalid; the message names the setting and what it needs. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
