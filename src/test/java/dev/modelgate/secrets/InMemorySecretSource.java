package dev.modelgate.secrets;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test-only secret manager under the scheme {@code test-vault:}: what a direct Vault or AWS Secrets Manager client
 * would be, minus the network. Registered for {@link java.util.ServiceLoader} in
 * {@code src/test/resources/META-INF/services/dev.modelgate.secrets.SecretSource}, the way a real one is plugged in.
 * A secret named {@code broken} fails with the value it would have leaked in its message.
 */
public final class InMemorySecretSource implements SecretSource {
    static final Map<String, String> SECRETS = new ConcurrentHashMap<>();
    static final String LEAKY_FAILURE = "leaked-value-in-a-plugin-message";

    @Override
    public String scheme() {
        return "test-vault";
    }

    @Override
    public SecretValue read(String name) {
        if (name.equals("broken")) {
            throw new IllegalStateException(LEAKY_FAILURE);
        }
        String value = SECRETS.get(name);
        if (value == null) {
            throw new SecretException("no secret " + name + " in the test vault");
        }
        return SecretValue.ofText(value);
    }
}
