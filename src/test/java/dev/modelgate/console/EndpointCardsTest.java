package dev.modelgate.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.security.Permission;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointCardsTest {
    private static final String HOSTILE = "<script>alert(1)</script>";

    private static EndpointCards.Card housePrice(Permission held) {
        return new EndpointCards.Card("house-price", held, ConsoleFixtures.json(ConsoleFixtures.HOUSE_PRICE));
    }

    @Test
    void showsPermissionStateVersionsTrafficAndSignature() {
        String html = EndpointCards.render(List.of(housePrice(Permission.CAN_QUERY)), "");
        assertThat(html).contains("data-permission=\"CAN_QUERY\">CAN_QUERY</span>")
                .contains("<dd class=\"state\">READY, NOT_UPDATING</dd>")
                .contains("<dd class=\"traffic\">house-price-1: 100%</dd>")
                .contains("Version 1 (house-price-1, DEPLOYMENT_READY)").contains("Version 2 (house-price-2, DEPLOYMENT_READY)")
                .contains("<tr><td><code>features</code></td><td><code>tensor(float)</code></td><td><code>[-1,4]</code></td></tr>")
                .contains("<code>garden</code>");
    }

    @Test
    void tryItPostsToTheRealInvocationUrlWithABodyForTheVersionTakingTraffic() {
        assertThat(EndpointCards.render(List.of(housePrice(Permission.CAN_QUERY)), "/gw")).contains("<form class=\"try-it\" method=\"post\" action=\"/gw/serving-endpoints/house-price/invocations\"")
                .contains("<label for=\"try-house-price-body\">").contains("<textarea id=\"try-house-price-body\"")
                .contains("&quot;columns&quot; : [ &quot;sqft&quot;, &quot;rooms&quot;, &quot;age&quot;, &quot;distance&quot; ]")
                .doesNotContain("<fieldset disabled>");
    }

    @Test
    void viewersSeeTryItDisabledWithTheReason() {
        assertThat(EndpointCards.render(List.of(housePrice(Permission.CAN_VIEW)), "")).contains("<fieldset disabled>")
                .contains("You hold CAN_VIEW on this endpoint, which lets you see it but not query it: querying needs CAN_QUERY.")
                .contains("aria-describedby=\"try-house-price-why\"");
    }

    @Test
    void everythingFromTheModelMetadataIsEscaped() {
        ObjectNode description = (ObjectNode) ConsoleFixtures.json(ConsoleFixtures.HOUSE_PRICE);
        description.put("description", HOSTILE).put("last_error", HOSTILE);
        ObjectNode signature = (ObjectNode) description.at("/config/served_entities/0/signature");
        signature.withArray("dataframe_columns").add(HOSTILE);
        ((ObjectNode) signature.withArray("outputs").get(0)).put("name", HOSTILE);
        String html = EndpointCards.render(List.of(new EndpointCards.Card("house\"price", Permission.CAN_QUERY, description)), "");
        assertThat(html).doesNotContain("<script>").doesNotContain("house\"price")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("house&quot;price");
    }

    @Test
    void noEndpointsSaysSo() {
        assertThat(EndpointCards.render(List.of(), "")).contains("You may not view any endpoint of your tenant");
    }

    @Test
    void pagesLoadOnlyTheConsolesOwnStyleAndScriptAndHaveNoInlineCode() {
        String page = new ConsoleLayout("", true).page("Console <x>", EndpointCards.render(List.of(housePrice(Permission.CAN_QUERY)), ""), true);
        assertThat(page).contains("<link rel=\"stylesheet\" href=\"/console/assets/console.css\">")
                .contains("<script src=\"/console/assets/try-it.js\" defer></script>")
                .contains("<title>Console &lt;x&gt; · modelgate</title>")
                .contains("<a id=\"sign-out\" href=\"/auth/logout\">Sign out</a>")
                .contains("<a href=\"/console/access\">Access report</a>");
        assertThat(page.replace("<script src=\"/console/assets/try-it.js\" defer></script>", ""))
                .doesNotContain("<script").doesNotContain("<style").doesNotContainPattern("\\son[a-z]+=").doesNotContain("style=");
        assertThat(new ConsoleLayout("", false).page("Console", "", false)).doesNotContain("Access report").doesNotContain("<script");
    }
}
