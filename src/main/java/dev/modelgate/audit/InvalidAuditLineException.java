package dev.modelgate.audit;

/** A line of an audit file is not an audit line; the message says why, without the line's content. */
final class InvalidAuditLineException extends Exception {
    InvalidAuditLineException(String message) {
        super(message);
    }
}
