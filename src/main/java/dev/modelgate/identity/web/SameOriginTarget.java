package dev.modelgate.identity.web;

import java.util.regex.Pattern;

/** Validates post-login targets: local absolute paths only. Stateless. */
final class SameOriginTarget {
    private static final Pattern SAFE = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*");

    private SameOriginTarget() {
    }

    /** {@code target} when it is a plain path on this server, else {@code /}. */
    static String of(String target) {
        if (target == null || !SAFE.matcher(target).matches() || target.startsWith("//") || target.contains("/\\")
                || target.contains("%2f%2f") || target.contains("%2F%2F")) {
            return "/";
        }
        return target;
    }
}
