package dev.modelgate.config;

/** The configuration is unusable; the message names the key, the value's source and the fix. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
