package dev.modelgate.console;

import dev.modelgate.identity.Caller;
import dev.modelgate.identity.IdentityBridge;
import dev.modelgate.security.Permission;
import dev.modelgate.security.RoleMapping;
import dev.modelgate.serving.databricks.EndpointDescriptions;
import dev.modelgate.serving.repository.Endpoint;
import dev.modelgate.serving.repository.ModelRepository;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code GET /console}: the console's landing page, "Who am I" and "My endpoints" with "Try it". The generated
 * constraints admit any signed-in caller here and send anonymous browsers to sign in first.
 */
@WebServlet(name = "console", urlPatterns = {"/console", "/console/"})
public class ConsoleServlet extends HttpServlet {
    @Inject
    ModelRepository repository;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = Caller.of(request).orElseThrow(() -> new IllegalStateException("the constraints admit signed-in callers only"));
        RoleMapping mapping = IdentityBridge.of(getServletContext()).mapping();
        Map<String, Endpoint> served = new TreeMap<>();
        repository.endpoints().forEach(endpoint -> served.put(endpoint.name(), endpoint));
        SortedMap<String, Permission> visible = MyEndpoints.visible(mapping, served.keySet(), request::isUserInRole);
        List<EndpointCards.Card> cards = new ArrayList<>();
        visible.forEach((name, held) -> cards.add(new EndpointCards.Card(name, held, EndpointDescriptions.describe(served.get(name)))));
        String main = WhoAmI.render(caller) + "<section class=\"endpoints\" aria-labelledby=\"my-endpoints\">\n"
                + "<h2 id=\"my-endpoints\">My endpoints</h2>\n" + EndpointCards.render(cards, request.getContextPath()) + "</section>\n";
        ConsoleResponse.page(response, HttpServletResponse.SC_OK,
                ConsoleLayout.of(request, mapping, caller).page("Console", main, true));
    }
}
