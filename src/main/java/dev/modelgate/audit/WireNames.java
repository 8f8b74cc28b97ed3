package dev.modelgate.audit;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the audit enums are spelled outside Java: lower case with dashes ({@code login-failure}), as in the audit
 * lines and the configuration. Stateless.
 */
final class WireNames {
    private WireNames() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Accepts the wire name, and the constant's Java name because that is what people type into configuration. */
    static <E extends Enum<E>> E parse(Class<E> type, String what, String value) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(value) || constant.name().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException(what + " '" + value + "' is not one of " + Arrays.stream(type.getEnumConstants())
                .map(WireNames::of).collect(Collectors.joining(", ")));
    }
}
