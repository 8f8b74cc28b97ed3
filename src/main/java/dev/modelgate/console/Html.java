package dev.modelgate.console;

/**
 * Escapes text for HTML element content and quoted attribute values. Everything the console shows that came from
 * outside its own code (IdP subjects and roles, endpoint names, model metadata, reload errors) goes through here,
 * so none of it can become markup. Stateless.
 */
public final class Html {
    private Html() {
    }

    /** {@code text} with {@code & < > " '} replaced by entities; {@code null} becomes the empty string. */
    public static String escape(Object text) {
        if (text == null) {
            return "";
        }
        String s = text.toString();
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
