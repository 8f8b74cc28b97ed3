package dev.modelgate.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CanITest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void anEndpointListsEveryPermissionWithItsRolesAndRules() throws IOException {
        assertThat(run(mapping(), "churn")).isZero();

        assertThat(out()).startsWith("churn (tenant acme)\nCAN_VIEW\n")
                .contains("  acme/admin: the tenant's admin role; by acme-oidc groups=admins\n")
                .contains("  acme/analyst: granted CAN_QUERY, which includes CAN_VIEW; by acme-oidc groups=analysts, acme-saml memberOf=cn=analysts\n")
                .contains("  acme/unassigned: granted CAN_VIEW; by no rule (no caller gets this role)\n")
                .contains("  endpoint:churn:CAN_QUERY: service tokens with CAN_QUERY\n")
                .contains("\nCAN_QUERY\n").contains("\nCAN_MANAGE\n  acme/admin:");
        assertThat(err()).isEmpty();
    }

    @Test
    void aGivenPermissionNarrowsTheEndpointListing() throws IOException {
        assertThat(run(mapping(), "churn", "--permission", "CAN_MANAGE")).isZero();

        assertThat(out()).startsWith("churn (tenant acme)\nCAN_MANAGE\n").doesNotContain("CAN_VIEW\n").doesNotContain("acme/analyst");
    }

    @Test
    void claimsListTheEndpointsTheyReachWithTheHighestPermissionAndTheRule() throws IOException {
        assertThat(run(mapping(), "--provider", "acme-oidc", "--claim", "groups=analysts", "--claim", "groups=staff")).isZero();

        assertThat(out()).isEqualTo("""
                acme-oidc groups=analysts groups=staff (tenant acme)
                roles: acme/analyst by acme-oidc groups=analysts
                churn: CAN_QUERY through acme/analyst (granted CAN_QUERY) by acme-oidc groups=analysts
                """);
    }

    @Test
    void anAllowedQuestionExitsZeroNamingTheRule() throws IOException {
        assertThat(run(mapping(), "--provider", "acme-oidc", "--claim", "email=owner@acme.example", "churn", "--permission", "CAN_MANAGE")).isZero();

        assertThat(out()).isEqualTo("""
                yes: acme-oidc email=owner@acme.example holds CAN_MANAGE on churn
                  through acme/owner (granted CAN_MANAGE) by acme-oidc email=owner@acme.example
                """);
    }

    @Test
    void aDeniedQuestionExitsOneAndSaysWhatIsHeldInstead() throws IOException {
        assertThat(run(mapping(), "--provider", "acme-oidc", "--claim", "groups=analysts", "churn", "--permission", "CAN_MANAGE")).isEqualTo(1);
        assertThat(out()).startsWith("no: acme-oidc groups=analysts does not hold CAN_MANAGE on churn; holds CAN_QUERY\n");
    }

    @Test
    void theQuestionIsAboutCanQueryUnlessToldOtherwise() throws IOException {
        Path mapping = mapping();
        assertThat(run(mapping, "--provider", "globex-oidc", "--claim", "groups=analysts", "globex-churn")).isEqualTo(1);
        assertThat(out()).startsWith("no: globex-oidc groups=analysts does not hold CAN_QUERY on globex-churn; holds CAN_VIEW\n");
        assertThat(run(mapping, "--provider", "globex-oidc", "--claim", "groups=analysts", "globex-churn", "--permission", "CAN_VIEW")).isZero();
    }

    @Test
    void anotherTenantsEndpointIsDeniedWhateverTheGroups() throws IOException {
        assertThat(run(mapping(), "--provider", "globex-oidc", "--claim", "groups=admins", "churn")).isEqualTo(1);
        assertThat(out()).isEqualTo("no: churn belongs to tenant acme; callers of globex-oidc (tenant globex) hold nothing there\n");
    }

    @Test
    void claimsNoRuleMatchesExitOne() throws IOException {
        assertThat(run(mapping(), "--provider", "acme-oidc", "--claim", "groups=visitors")).isEqualTo(1);
        assertThat(out()).contains("roles: none; no rule of acme-oidc matches these claims");
        assertThat(run(mapping(), "--provider", "acme-oidc", "--claim", "groups=monitoring")).as("a role on no endpoint").isEqualTo(1);
        assertThat(out()).contains("endpoints: none");
    }

    @Test
    void anUnknownEndpointOrProviderExitsTwoNamingTheDeclaredOnes() throws IOException {
        assertThat(run(mapping(), "chrun")).isEqualTo(2);
        assertThat(err()).isEqualTo("no tenant declares endpoint 'chrun'; declared: [churn, globex-churn]\n");
        assertThat(out()).isEmpty();
        assertThat(run(mapping(), "--provider", "okta", "--claim", "groups=analysts")).isEqualTo(2);
        assertThat(err()).contains("no tenant declares provider 'okta'; declared: [acme-oidc, acme-saml, globex-oidc]");
    }

    @Test
    void aMissingOrInvalidMappingFileExitsTwoWithOneLineAndNoStackTrace() throws IOException {
        assertThat(run(dir.resolve("missing.yaml"), "churn")).isEqualTo(2);
        assertThat(err()).isEqualTo("no such role-mapping file: " + dir.resolve("missing.yaml") + "\n");

        Path invalid = Files.writeString(dir.resolve("invalid.yaml"), AccessReportTest.MAPPING.replace("CAN_VIEW: [unassigned]", "CAN_READ: [unassigned]"));
        assertThat(run(invalid, "churn")).isEqualTo(2);
        assertThat(err()).startsWith("invalid role mapping: " + invalid + ":22: unknown permission 'CAN_READ'").hasLineCount(1)
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void usageMistakesExitTwoWithTheUsage() throws IOException {
        Path mapping = mapping();
        assertThat(CanI.run(new String[] {"churn"}, stream(out), stream(err))).isEqualTo(2);
        assertThat(err()).startsWith("--mapping <role-mapping.yaml> is required\nusage: CanI");
        assertThat(run(mapping)).isEqualTo(2);
        assertThat(err()).startsWith("name an endpoint, or a caller with --provider");
        assertThat(run(mapping, "--claim", "groups=analysts", "churn")).isEqualTo(2);
        assertThat(err()).startsWith("--claim needs --provider");
        assertThat(run(mapping, "--provider", "acme-oidc", "--claim", "groups")).isEqualTo(2);
        assertThat(err()).startsWith("--claim takes <name>=<value>");
        assertThat(run(mapping, "churn", "--permission", "CAN_READ")).isEqualTo(2);
        assertThat(err()).startsWith("unknown permission 'CAN_READ'");
        assertThat(run(mapping, "churn", "globex-churn")).isEqualTo(2);
        assertThat(err()).startsWith("one endpoint at a time");
        assertThat(run(mapping, "churn", "--verbose")).isEqualTo(2);
        assertThat(err()).startsWith("unknown option '--verbose'");
        out.reset();
        assertThat(CanI.run(new String[] {"--help"}, stream(out), stream(err))).isZero();
        assertThat(out()).startsWith("usage: CanI");
    }

    private Path mapping() throws IOException {
        return Files.writeString(dir.resolve("role-mapping.yaml"), AccessReportTest.MAPPING);
    }

    /** Runs with {@code --mapping file} first; out and err hold this run's output only. */
    private int run(Path file, String... args) {
        List<String> all = new ArrayList<>(List.of("--mapping", file.toString()));
        all.addAll(List.of(args));
        out.reset();
        err.reset();
        return CanI.run(all.toArray(String[]::new), stream(out), stream(err));
    }

    private static PrintStream stream(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
