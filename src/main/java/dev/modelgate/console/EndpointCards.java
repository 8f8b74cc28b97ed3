package dev.modelgate.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.security.Permission;

import java.util.List;

/**
 * Renders "My endpoints": for each endpoint the permission held, state, served versions, traffic split and each
 * version's signature (inputs and outputs with types and shapes), from the same description the endpoint API answers
 * ({@code EndpointDescriptions}). Every value from the description is escaped. Stateless.
 */
public final class EndpointCards {
    private EndpointCards() {
    }

    /** One endpoint the caller may view: its name, the highest permission held, and its API description. */
    public record Card(String name, Permission held, JsonNode description) {
    }

    /** The cards, or a sentence saying there are none. */
    public static String render(List<Card> cards, String contextPath) {
        if (cards.isEmpty()) {
            return "<p>You may not view any endpoint of your tenant. Ask its admin for a role that grants CAN_VIEW.</p>\n";
        }
        StringBuilder html = new StringBuilder();
        html.append("<p>").append(cards.size()).append(cards.size() == 1 ? " endpoint" : " endpoints")
                .append(" of your tenant that you may view, with the permission you hold.</p>\n");
        for (Card card : cards) {
            card(html, card, contextPath);
        }
        return html.toString();
    }

    private static void card(StringBuilder html, Card card, String contextPath) {
        JsonNode d = card.description();
        String heading = "endpoint-" + card.name();
        html.append("<section class=\"endpoint\" id=\"").append(Html.escape(heading)).append("-card\" aria-labelledby=\"")
                .append(Html.escape(heading)).append("\">\n<h2 id=\"").append(Html.escape(heading)).append("\">")
                .append(Html.escape(card.name())).append(" <span class=\"permission\" data-permission=\"")
                .append(card.held()).append("\">").append(card.held()).append("</span></h2>\n");
        if (d.hasNonNull("description")) {
            html.append("<p>").append(Html.escape(d.get("description").asText())).append("</p>\n");
        }
        html.append("<dl class=\"facts\">\n<dt>State</dt><dd class=\"state\">").append(Html.escape(d.path("state").path("ready").asText()))
                .append(", ").append(Html.escape(d.path("state").path("config_update").asText())).append("</dd>\n");
        if (d.hasNonNull("last_error")) {
            html.append("<dt>Last reload error</dt><dd class=\"error\">").append(Html.escape(d.get("last_error").asText())).append("</dd>\n");
        }
        html.append("<dt>Traffic split</dt><dd class=\"traffic\">");
        JsonNode routes = d.path("config").path("traffic_config").path("routes");
        if (routes.isEmpty()) {
            html.append("no version takes traffic");
        }
        String separator = "";
        for (JsonNode route : routes) {
            html.append(separator).append(Html.escape(route.path("served_model_name").asText())).append(": ")
                    .append(Html.escape(route.path("traffic_percentage").asText())).append('%');
            separator = ", ";
        }
        html.append("</dd>\n</dl>\n");
        for (JsonNode entity : d.path("config").path("served_entities")) {
            version(html, entity);
        }
        html.append(TryItForm.render(card, contextPath));
        html.append("</section>\n");
    }

    private static void version(StringBuilder html, JsonNode entity) {
        JsonNode signature = entity.path("signature");
        html.append("<details class=\"version\">\n<summary>Version ").append(Html.escape(entity.path("entity_version").asText()))
                .append(" (").append(Html.escape(entity.path("name").asText())).append(", ")
                .append(Html.escape(entity.path("state").path("deployment").asText())).append(")</summary>\n");
        if (signature.path("dataframe_columns").isArray()) {
            html.append("<p>Columns: ");
            String separator = "";
            for (JsonNode column : signature.get("dataframe_columns")) {
                html.append(separator).append("<code>").append(Html.escape(column.asText())).append("</code>");
                separator = ", ";
            }
            html.append("</p>\n");
        }
        tensors(html, "Inputs", signature.path("inputs"));
        tensors(html, "Outputs", signature.path("outputs"));
        html.append("</details>\n");
    }

    private static void tensors(StringBuilder html, String caption, JsonNode specs) {
        html.append("<table class=\"signature\">\n<caption>").append(caption).append("</caption>\n")
                .append("<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Type</th><th scope=\"col\">Shape</th></tr></thead>\n<tbody>\n");
        for (JsonNode spec : specs) {
            html.append("<tr><td><code>").append(Html.escape(spec.path("name").asText())).append("</code></td><td><code>")
                    .append(Html.escape(spec.path("type").asText())).append("</code></td><td>");
            if (spec.has("shape")) {
                html.append("<code>").append(Html.escape(spec.get("shape").toString())).append("</code>");
            } else if (spec.has("class_labels")) {
                html.append("labels <code>").append(Html.escape(spec.get("class_labels").toString())).append("</code>");
            }
            html.append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }
}
