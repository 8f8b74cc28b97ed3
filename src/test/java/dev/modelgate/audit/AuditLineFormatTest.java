package dev.modelgate.audit;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditLineFormatTest {
    private static final String PREV = "ab".repeat(32);

    @Test
    void absentFieldsAreLeftOutAndPresentOnesComeInAFixedOrder() {
        AuditRecord denied = AuditRecord.securityEvent(AuditEvent.ACCESS_DENIED, Instant.parse("2026-11-25T10:00:00.123Z"))
                .caller("acme", "bob", AuthMethod.SERVICE_TOKEN).endpoint("house-price").status(403).build();

        String line = new String(AuditLineFormat.encode(7, PREV, denied), StandardCharsets.UTF_8);

        assertThat(line).isEqualTo("{\"seq\":7,\"prev\":\"" + PREV + "\",\"time\":\"2026-11-25T10:00:00.123Z\","
                + "\"event\":\"access-denied\",\"tenant\":\"acme\",\"subject\":\"bob\",\"auth_method\":\"service-token\","
                + "\"endpoint\":\"house-price\",\"status\":403}");
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() throws Exception {
        AuditRecord full = AuditRecord.invocation(Instant.parse("2026-11-25T10:00:00Z")).requestId("r-1")
                .caller("acme", "alice", AuthMethod.OIDC).endpoint("iris").model("iris", "3").status(200).latencyMs(42)
                .clientAddress("2001:db8::1").requestBody(new byte[]{1, 2, 3})
                .requestPayload("{\"inputs\":[1]}").responsePayload("{\"outputs\":[2]}").promptTokens(28).build();

        AuditEntry entry = AuditLineFormat.decode(AuditLineFormat.encode(3, PREV, "node-2.eu", full));

        assertThat(entry).isEqualTo(new AuditEntry(3, PREV, "node-2.eu", full));
        assertThat(entry.toJsonLine()).as("re-encoded, the same bytes").isEqualTo(AuditLineFormat.encode(3, PREV, "node-2.eu", full));
        assertThat(AuditLineFormat.decode(AuditLineFormat.encode(3, PREV, full)).node()).as("a line of a trail before node ids").isNull();
        assertThat(full.inputBytes()).isEqualTo(3);
        assertThat(new String(AuditLineFormat.encodeFields(full), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"payload_sha256\":\"039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81\",\"prompt_tokens\":28,");
        assertThat(full.payloadSha256()).isEqualTo("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81");
    }

    @Test
    void theNodeComesRightAfterTheChainFields() {
        AuditRecord login = AuditRecord.securityEvent(AuditEvent.LOGIN, Instant.parse("2026-11-25T10:00:00Z"))
                .caller("acme", "bob", AuthMethod.OIDC).build();

        String line = new String(AuditLineFormat.encode(1, PREV, "node1", login), StandardCharsets.UTF_8);

        assertThat(line).startsWith("{\"seq\":1,\"prev\":\"" + PREV + "\",\"node\":\"node1\",\"time\":\"2026-11-25T10:00:00Z\",");
    }

    @Test
    void aPayloadWithNewlinesStaysOnOneLine() {
        AuditRecord record = AuditRecord.invocation(Instant.EPOCH).requestPayload("a,b\n1,2\r\n\u2028").build();

        byte[] line = AuditLineFormat.encode(1, PREV, record);

        assertThat(new String(line, StandardCharsets.UTF_8)).doesNotContain("\n", "\r");
    }

    @Test
    void linesThatAreNotAuditLinesAreRefusedWithAReason() {
        assertThatThrownBy(() -> AuditLineFormat.decode("{\"seq\":1,\"prev\":\"00\"".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidAuditLineException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> AuditLineFormat.decode(("{\"seq\":1,\"seq\":2,\"prev\":\"" + PREV + "\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidAuditLineException.class).hasMessageContaining("Duplicate field");
        assertThatThrownBy(() -> AuditLineFormat.decode(("{\"seq\":1,\"prev\":\"" + PREV + "\",\"time\":\"yesterday\","
                + "\"event\":\"login\",\"auth_method\":\"oidc\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidAuditLineException.class).hasMessageContaining("time");
        assertThatThrownBy(() -> AuditLineFormat.decode(("{\"seq\":1,\"prev\":\"" + PREV + "\",\"time\":\"2026-11-25T10:00:00Z\","
                + "\"event\":\"party\",\"auth_method\":\"oidc\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidAuditLineException.class).hasMessageContaining("party");
        assertThatThrownBy(() -> AuditLineFormat.decode("{} {}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidAuditLineException.class);
    }

    @Test
    void anInvocationIsNotASecurityEventAndTimeIsRequired() {
        assertThatThrownBy(() -> AuditRecord.securityEvent(AuditEvent.INVOCATION, Instant.EPOCH))
                .hasMessageContaining("AuditRecord.invocation");
        assertThatThrownBy(() -> AuditRecord.invocation(null).build()).hasMessageContaining("time");
        assertThatThrownBy(() -> AuditRecord.invocation(Instant.EPOCH).status(42).build()).hasMessageContaining("status");
    }

    @Test
    void wireNamesMatchTheCallersAuthMethods() {
        assertThat(AuthMethod.fromWireName("bearer")).isEqualTo(AuthMethod.BEARER);
        assertThat(AuthMethod.SERVICE_TOKEN.wireName()).isEqualTo("service-token");
        assertThat(AuditEvent.fromWireName("token-rotated")).isEqualTo(AuditEvent.TOKEN_ROTATED);
        assertThatThrownBy(() -> AuthMethod.fromWireName("kerberos")).hasMessageContaining("oidc, saml, bearer, service-token, none");
    }
}
