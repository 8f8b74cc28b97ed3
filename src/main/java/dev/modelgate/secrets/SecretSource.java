package dev.modelgate.secrets;

/**
 * Where secrets of one reference scheme come from: {@code env:} ({@link EnvSecretSource}) and {@code file:}
 * ({@link FileSecretSource}) are built in. A direct secret-manager client (Vault, AWS Secrets Manager, ...) is one
 * more implementation with its own scheme, e.g. {@code vault:secret/data/modelgate#client-secret}, plugged in either
 * through {@link java.util.ServiceLoader} (a jar in {@code WEB-INF/lib} with
 * {@code META-INF/services/dev.modelgate.secrets.SecretSource} naming a class with a public no-argument constructor,
 * which configures itself, e.g. from its own environment variables) or explicitly with
 * {@link SecretSources#with(SecretSource)}.
 *
 * <p>{@link #read} is called at start-up and then again every {@code secrets.refresh.interval} for as long as the
 * gateway runs, from one background thread; a source that talks to a server should cache and answer from that cache
 * when the server has not changed the secret. Implementations must be thread-safe and must never put a secret's value
 * into an exception message or a log line: name the reference instead.
 */
public interface SecretSource {

    /** The scheme this source answers, without the colon, in lower case: {@code env}, {@code file}, {@code vault}. */
    String scheme();

    /**
     * The current value of the secret {@code name} (the reference without {@code scheme:}).
     *
     * @throws SecretException if it cannot be had now; the message names {@code name}, never a value
     */
    SecretValue read(String name);
}
