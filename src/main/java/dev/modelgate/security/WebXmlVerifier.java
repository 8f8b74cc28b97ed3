package dev.modelgate.security;

/**
 * Start-up check that the deployed web.xml still carries exactly the constraints its role mapping generates:
 * a hand edit (or a web.xml from another build) would make the container enforce rules nobody declared.
 * Stateless.
 */
public final class WebXmlVerifier {
    private WebXmlVerifier() {
    }

    /**
     * @throws IllegalStateException naming the difference when web.xml does not match the mapping
     */
    public static void verify(String webXml, RoleMapping mapping) {
        String expected = ConstraintGenerator.generate(mapping);
        if (webXml.contains(expected)) {
            return;
        }
        int begin = webXml.indexOf(ConstraintGenerator.BEGIN);
        int end = webXml.indexOf(ConstraintGenerator.END);
        if (begin < 0 || end < 0) {
            throw new IllegalStateException("WEB-INF/web.xml has no generated security constraints; rebuild the WAR"
                    + " so they are generated from WEB-INF/role-mapping.yaml");
        }
        String actual = webXml.substring(webXml.lastIndexOf('\n', begin) + 1, webXml.indexOf('\n', end) + 1);
        throw new IllegalStateException("WEB-INF/web.xml's security constraints differ from WEB-INF/role-mapping.yaml"
                + " (first difference at generated line " + firstDifferentLine(expected, actual) + "); they are"
                + " generated at build time and must not be edited by hand: rebuild the WAR");
    }

    private static int firstDifferentLine(String expected, String actual) {
        String[] a = expected.split("\n", -1);
        String[] b = actual.split("\n", -1);
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (!a[i].equals(b[i])) {
                return i + 1;
            }
        }
        return Math.min(a.length, b.length) + 1;
    }
}
