package dev.modelgate.console;

import dev.modelgate.access.AccessReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AccessReportPageTest {
    private final AccessReport report = new AccessReport(ConsoleFixtures.mapping());

    @Test
    void everyRoleAndRuleGrantingEachPermissionIsListed() {
        String html = AccessReportPage.render("acme", List.of(report.endpoint("house-price").orElseThrow()));
        assertThat(html).contains("<h2 id=\"access-house-price\">house-price</h2>")
                .contains("<tr><td>CAN_VIEW</td><td><code>acme/admin</code></td><td>the tenant&#39;s admin role</td>"
                        + "<td><code>acme-idp groups=admins</code></td></tr>")
                .contains("<tr><td>CAN_VIEW</td><td><code>acme/data-scientist</code></td>"
                        + "<td>granted CAN_QUERY, which includes CAN_VIEW</td><td><code>acme-idp groups=data-scientists</code></td></tr>")
                .contains("<tr><td>CAN_QUERY</td><td><code>endpoint:house-price:CAN_QUERY</code></td>"
                        + "<td>service tokens with CAN_QUERY</td><td>none: held by service tokens only</td></tr>")
                .doesNotContain("<tr><td>CAN_QUERY</td><td><code>acme/analyst</code>");
    }

    @Test
    void ruleValuesFromTheMappingAreEscaped() {
        String html = AccessReportPage.render("acme", List.of(report.endpoint("house-price").orElseThrow()));
        assertThat(html).contains("<code>acme-idp groups=&lt;analysts&gt;</code>").doesNotContain("<analysts>");
    }
}
