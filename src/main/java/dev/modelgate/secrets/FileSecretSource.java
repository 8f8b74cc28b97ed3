package dev.modelgate.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code file:/path}: the file's content, the form Vault Agent, the Secrets Store CSI driver and Kubernetes secret
 * volumes render. Every read opens the path anew and follows symbolic links, so a secret replaced the way those tools
 * do it (new files in a fresh folder, then an atomic swap of the {@code ..data} link the visible name points through)
 * is seen whole, old or new, never half-written; the modification time is not trusted, since a swapped-in file may be
 * older than the one it replaces. Files over {@value #MOST_BYTES} bytes are refused (a wrong path, not a secret).
 * Thread-safe.
 */
public final class FileSecretSource implements SecretSource {
    static final int MOST_BYTES = 1024 * 1024;

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public SecretValue read(String name) {
        if (name.isEmpty()) {
            throw new SecretException("file: names no file; give an absolute path, e.g. file:/run/secrets/client-secret");
        }
        Path file = Path.of(name);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] content = in.readNBytes(MOST_BYTES + 1);
            if (content.length > MOST_BYTES) {
                throw new SecretException("cannot use " + file + ": larger than " + MOST_BYTES + " bytes, so not a secret file");
            }
            return new SecretValue(content);
        } catch (IOException e) {
            throw new SecretException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
