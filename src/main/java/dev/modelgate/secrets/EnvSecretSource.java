package dev.modelgate.secrets;

import java.util.function.Function;

/**
 * {@code env:NAME}: the environment variable {@code NAME}. Environment variables cannot change while a process runs,
 * so these secrets rotate only with a restart. Thread-safe.
 */
public final class EnvSecretSource implements SecretSource {
    private final Function<String, String> environment;

    /** @param environment a variable's value by name, null when unset ({@code System.getenv()::get} in production) */
    public EnvSecretSource(Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String scheme() {
        return "env";
    }

    @Override
    public SecretValue read(String name) {
        String value = name.isEmpty() ? null : environment.apply(name);
        if (value == null || value.isEmpty()) {
            throw new SecretException("environment variable " + (name.isEmpty() ? "(no name given)" : name) + " is not set");
        }
        return SecretValue.ofText(value);
    }
}
