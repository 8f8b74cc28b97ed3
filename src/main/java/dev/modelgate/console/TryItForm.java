package dev.modelgate.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.modelgate.security.Permission;

/**
 * "Try it" for one endpoint: a text area holding a request body made from the serving version's signature
 * ({@link TryItBody}) and a button; {@code try-it.js} posts it to the real invocation URL with the session and shows
 * the answer, whatever its status. Without CAN_QUERY the form is shown disabled, with the reason; the API would
 * refuse the call anyway (the generated constraints decide, not this form). Stateless.
 */
public final class TryItForm {
    private TryItForm() {
    }

    static String render(EndpointCards.Card card, String contextPath) {
        String id = "try-" + card.name();
        boolean mayQuery = card.held().includes(Permission.CAN_QUERY);
        StringBuilder html = new StringBuilder();
        html.append("<form class=\"try-it\" method=\"post\" action=\"")
                .append(Html.escape(contextPath + "/serving-endpoints/" + card.name() + "/invocations"))
                .append("\" data-answer=\"").append(Html.escape(id)).append("-answer\" data-status=\"")
                .append(Html.escape(id)).append("-status\">\n<fieldset").append(mayQuery ? "" : " disabled").append(">\n<legend>Try it</legend>\n");
        if (!mayQuery) {
            html.append("<p class=\"refused\" id=\"").append(Html.escape(id)).append("-why\">You hold ").append(card.held())
                    .append(" on this endpoint, which lets you see it but not query it: querying needs CAN_QUERY.</p>\n");
        }
        html.append("<label for=\"").append(Html.escape(id)).append("-body\">Request body (JSON, Databricks format)</label>\n")
                .append("<textarea id=\"").append(Html.escape(id)).append("-body\" name=\"body\" rows=\"8\" spellcheck=\"false\"")
                .append(mayQuery ? "" : " aria-describedby=\"" + Html.escape(id) + "-why\"").append(">")
                .append(Html.escape(TryItBody.from(servingSignature(card)))).append("</textarea>\n")
                .append("<button type=\"submit\" id=\"").append(Html.escape(id)).append("-send\">Send</button>\n")
                .append("</fieldset>\n</form>\n")
                .append("<p class=\"status\" id=\"").append(Html.escape(id)).append("-status\" aria-live=\"polite\"></p>\n")
                .append("<pre class=\"answer\" id=\"").append(Html.escape(id)).append("-answer\" tabindex=\"0\" aria-label=\"Answer\"></pre>\n");
        return html.toString();
    }

    /** The signature of the version that takes most traffic (else the newest): the one a call most likely reaches. */
    private static JsonNode servingSignature(EndpointCards.Card card) {
        JsonNode config = card.description().path("config");
        String busiest = null;
        int most = -1;
        for (JsonNode route : config.path("traffic_config").path("routes")) {
            if (route.path("traffic_percentage").asInt() > most) {
                most = route.path("traffic_percentage").asInt();
                busiest = route.path("served_model_name").asText();
            }
        }
        JsonNode entities = config.path("served_entities");
        for (JsonNode entity : entities) {
            if (entity.path("name").asText().equals(busiest)) {
                return entity.path("signature");
            }
        }
        return entities.isEmpty() ? MissingNode.getInstance() : entities.get(entities.size() - 1).path("signature");
    }
}
