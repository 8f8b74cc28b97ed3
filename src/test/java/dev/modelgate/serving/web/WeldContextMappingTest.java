package dev.modelgate.serving.web;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web.xml template tells Weld to skip its request contexts on model invocations only (see the comment there):
 * every other URL — sign-in, APIs, metadata, metrics — keeps them.
 */
class WeldContextMappingTest {

    private static Pattern mapping() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        NodeList params = factory.newDocumentBuilder().parse(Path.of("webapp/WEB-INF/web-template.xml").toFile())
                .getElementsByTagNameNS("*", "context-param");
        for (int i = 0; i < params.getLength(); i++) {
            Element param = (Element) params.item(i);
            if (param.getElementsByTagNameNS("*", "param-name").item(0).getTextContent().trim()
                    .equals("org.jboss.weld.context.mapping")) {
                return Pattern.compile(param.getElementsByTagNameNS("*", "param-value").item(0).getTextContent().trim());
            }
        }
        throw new AssertionError("no org.jboss.weld.context.mapping in web-template.xml");
    }

    @Test
    void invocationsRunWithoutWeldsRequestContexts() throws Exception {
        Pattern activates = mapping();
        assertThat(activates.matcher("/serving-endpoints/house-price/invocations").matches()).isFalse();
        assertThat(activates.matcher("/v2/models/house-price/infer").matches()).isFalse();
        assertThat(activates.matcher("/v2/models/house-price/versions/2/infer").matches()).isFalse();
    }

    @Test
    void everythingElseKeepsThem() throws Exception {
        Pattern activates = mapping();
        for (String path : new String[]{"/", "/auth/login", "/auth/callback", "/metrics", "/api/2.0/serving-endpoints",
                "/api/2.0/serving-endpoints/house-price/invocations", "/serving-endpoints/house-price",
                "/serving-endpoints/house-price/invocations/extra", "/v2/models/house-price", "/v2/models/house-price/ready",
                "/v2/models/a/b/infer", "/api/2.0/token-management/tokens"}) {
            assertThat(activates.matcher(path).matches()).as(path).isTrue();
        }
    }
}
