package dev.modelgate.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A local Keycloak for the demo: started from an unpacked {@code keycloak-quarkus-dist} in dev mode on
 * 127.0.0.1:8180 (the address the demo role mapping trusts), with the demo realm, and every other
 * {@code *-realm.json} beside it (the second tenant's realm {@code globex}), imported into an in-memory database. Not for production: its users and secrets are public. Stopped with the launcher.
 */
final class DemoIdentityProvider implements AutoCloseable {
    static final int PORT = 8180;
    static final URI ISSUER = URI.create("http://127.0.0.1:" + PORT + "/realms/modelgate");
    /** The demo realm's secret for the modelgate-web client (it is in the realm file, so no secret at all). */
    static final String DEMO_CLIENT_SECRET = "modelgate-web-test-secret";
    /** The same for the second tenant's realm, {@code globex}. */
    static final String GLOBEX_CLIENT_SECRET = "globex-web-test-secret";
    /**
     * The SAML SP keystore whose certificate the demo realm trusts (the build copies the repository's test keystore
     * into the launcher jar under this name; never into the WAR) and its password. Public, demo only.
     */
    static final String SP_KEYSTORE_RESOURCE = "/dev/modelgate/launcher/demo/sp-test.p12";
    static final String SP_KEYSTORE_PASSWORD = "sp-test-pw";
    private final Process process;

    private DemoIdentityProvider(Process process) {
        this.process = process;
    }

    static DemoIdentityProvider start(Path keycloakHome, Path realmFile) throws IOException, InterruptedException {
        Path importDir = keycloakHome.resolve("data/import");
        Files.createDirectories(importDir);
        Files.copy(realmFile, importDir.resolve(realmFile.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        try (var realms = Files.newDirectoryStream(realmFile.toAbsolutePath().getParent(), "*-realm.json")) {
            for (Path realm : realms) {
                Files.copy(realm, importDir.resolve(realm.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path log = keycloakHome.resolve("demo-keycloak.log");
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", keycloakHome.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + PORT, "--http-host=127.0.0.1", "--hostname=http://127.0.0.1:" + PORT,
                "--db=dev-mem", "--import-realm")
                .directory(keycloakHome.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        String javaHome = System.getProperty("java.home");
        env.put("JAVA_HOME", javaHome);
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        DemoIdentityProvider idp = new DemoIdentityProvider(builder.start());
        System.out.println("starting the demo identity provider (Keycloak) on " + ISSUER + " ... log: " + log);
        idp.awaitDiscovery(log);
        return idp;
    }

    URI discoveryUri() {
        return URI.create(ISSUER + "/.well-known/openid-configuration");
    }

    /**
     * The gateway settings (system property names and values) that point the demo role mapping's providers at this
     * Keycloak: both tenants' OIDC discovery and client secrets, the SAML IdP metadata, and the demo SP keystore and
     * its password, so that the demo needs nothing set by hand. Secrets are {@code file:} references to fresh
     * temporary files (owner-only, deleted on exit), as a deployment would pass them.
     */
    Map<String, String> gatewaySettings() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("modelgate.identity.keycloak.discovery-uri", discoveryUri().toString());
        settings.put("modelgate.identity.keycloak.client-secret", secretFile("oidc", DEMO_CLIENT_SECRET.getBytes(StandardCharsets.UTF_8)));
        settings.put("modelgate.identity.keycloak-saml.idp-metadata", discoveryUri().resolve("../protocol/saml/descriptor").toString());
        try (InputStream keystore = DemoIdentityProvider.class.getResourceAsStream(SP_KEYSTORE_RESOURCE)) {
            if (keystore == null) {
                throw new IllegalStateException("the launcher jar lacks " + SP_KEYSTORE_RESOURCE + ": rebuild it with mvn -DskipTests package");
            }
            settings.put("modelgate.identity.keycloak-saml.sp-keystore", secretFile("saml-sp", keystore.readAllBytes()));
        }
        settings.put("modelgate.identity.keycloak-saml.sp-keystore-password", secretFile("saml-sp-pw", SP_KEYSTORE_PASSWORD.getBytes(StandardCharsets.UTF_8)));
        settings.put("modelgate.identity.globex.discovery-uri", discoveryUri().toString().replace("/realms/modelgate/", "/realms/globex/"));
        settings.put("modelgate.identity.globex.client-secret", secretFile("globex", GLOBEX_CLIENT_SECRET.getBytes(StandardCharsets.UTF_8)));
        return settings;
    }

    private static String secretFile(String name, byte[] content) throws IOException {
        Path file = Files.createTempFile("modelgate-demo-" + name + "-", "");
        file.toFile().deleteOnExit();
        Files.write(file, content);
        return "file:" + file;
    }

    private void awaitDiscovery(Path log) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(discoveryUri()).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            Thread.sleep(500);
        }
        close();
        throw new IllegalStateException("Keycloak was not ready within 180 s; see " + log);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
