package dev.modelgate.identity.tokens;

import dev.modelgate.secrets.SecretReference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * Where the token hashing key comes from: the secret reference {@code tokens.hashing.key} ({@code env:NAME} or
 * {@code file:/path}; its text, as UTF-8, is the key), or else a key generated on first start into
 * {@value #GENERATED_FILE} in the token folder, readable by the owner only. The generated file's text is itself a
 * valid key, so it can be moved into a secret manager later. Losing the key invalidates every token. Stateless.
 */
public final class HashingKey {
    public static final String GENERATED_FILE = "token-hashing.key";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final System.Logger LOG = System.getLogger(HashingKey.class.getName());

    private HashingKey() {
    }

    /**
     * @param reference the configured reference, or null to use (or create) the generated key in {@code folder}
     * @throws IllegalArgumentException naming {@code tokens.hashing.key} when the key cannot be had or is too short
     */
    public static byte[] load(String reference, Path folder) {
        if (reference != null) {
            byte[] key = SecretReference.resolve(reference, TokenSettings.HASHING_KEY).getBytes(StandardCharsets.UTF_8);
            if (key.length < TokenHasher.MIN_KEY_BYTES) {
                throw new IllegalArgumentException(TokenSettings.HASHING_KEY + " (" + reference + ") is " + key.length
                        + " bytes long; use at least " + TokenHasher.MIN_KEY_BYTES + " random characters, e.g. openssl rand -base64 48");
            }
            return key;
        }
        return generated(folder.resolve(GENERATED_FILE));
    }

    /**
     * The reference the key is read from and re-read when it rotates: the configured one, or else the generated key
     * file, created now if there is none yet.
     */
    public static String reference(String configured, Path folder) {
        if (configured != null) {
            load(configured, folder); // refuse a missing or short key now, with the message naming the setting
            return configured;
        }
        Path file = folder.resolve(GENERATED_FILE);
        generated(file);
        return "file:" + file;
    }

    private static byte[] generated(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            byte[] key = Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
            if (key.length < TokenHasher.MIN_KEY_BYTES) {
                throw new IllegalArgumentException("the generated token hashing key " + file + " is damaged (" + key.length
                        + " bytes); restore it from a backup, or delete it to start over (every existing token stops working)");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the token hashing key " + file + " (" + TokenSettings.HASHING_KEY
                    + " is not set, so the gateway keeps its own key in " + TokenSettings.DIR + ")", e);
        }
    }

    /** Writes a fresh key beside the target, then links it in: a crash never leaves a half-written key. */
    private static void create(Path file) throws IOException {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        byte[] text = Base64.getUrlEncoder().withoutPadding().encodeToString(raw).getBytes(StandardCharsets.UTF_8);
        Path temp = file.resolveSibling(GENERATED_FILE + ".new-" + ProcessHandle.current().pid());
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(text));
                channel.force(true);
            }
            try {
                Files.createLink(file, temp);
                LOG.log(System.Logger.Level.WARNING, "generated a token hashing key in {0} (owner-only): back it up; every"
                        + " node that shares the token store needs the same key, so set {1} to a secret reference there", file,
                        TokenSettings.HASHING_KEY);
            } catch (FileAlreadyExistsException anotherProcessWon) {
                // Another gateway sharing the folder created it first: use that one.
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
