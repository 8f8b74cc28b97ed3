package dev.modelgate.identity.saml;

import org.pac4j.core.exception.TechnicalException;

/**
 * A SAML message the service provider refuses: bad or missing signature, wrong audience or destination, outside its
 * time window, unsolicited, replayed. The message says why in words safe to log: java-saml's reasons may quote a
 * value from the refused message (an issuer, a destination, a status message), which anyone can forge before any
 * signature is checked, so the message is kept to one line of printable ASCII of bounded length.
 */
public final class SamlRejectedException extends TechnicalException {
    private static final int MAX_REASON_LENGTH = 300;

    public SamlRejectedException(String reason) {
        super(loggable(reason));
    }

    /** Line breaks and other control characters would let a forged value write its own log lines. */
    private static String loggable(String reason) {
        String line = reason.replaceAll("[^\\x20-\\x7E]", "?");
        return line.length() <= MAX_REASON_LENGTH ? line : line.substring(0, MAX_REASON_LENGTH) + "...";
    }
}
