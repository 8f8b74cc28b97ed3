package dev.modelgate.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step (run by Maven before packaging): writes {@code WEB-INF/web.xml} from the hand-written template and
 * the role-mapping file, putting the generated constraints where the template says
 * {@value #MARKER}. An invalid mapping fails the build with the file, line and problem.
 *
 * <p>Usage: {@code WebXmlGenerator <role-mapping.yaml> <web-template.xml> <output web.xml>}
 */
public final class WebXmlGenerator {
    public static final String MARKER = "<!-- @generated-security-constraints@ -->";

    private WebXmlGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: WebXmlGenerator <role-mapping.yaml> <web-template.xml> <output web.xml>");
        }
        String template = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8);
        String webXml = render(template, RoleMappingParser.read(Path.of(args[0])));
        Path output = Path.of(args[2]);
        Files.createDirectories(output.getParent());
        Files.writeString(output, webXml, StandardCharsets.UTF_8);
    }

    /** The template with the marker line replaced by the generated constraints. */
    public static String render(String template, RoleMapping mapping) {
        int at = template.indexOf(MARKER);
        if (at < 0 || template.indexOf(MARKER, at + 1) >= 0) {
            throw new IllegalArgumentException("the web.xml template must hold the line " + MARKER + " exactly once");
        }
        int lineStart = template.lastIndexOf('\n', at) + 1;
        int lineEnd = template.indexOf('\n', at);
        return template.substring(0, lineStart) + ConstraintGenerator.generate(mapping) + template.substring(lineEnd + 1);
    }
}
