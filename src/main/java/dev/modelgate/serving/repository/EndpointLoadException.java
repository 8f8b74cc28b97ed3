package dev.modelgate.serving.repository;

/** An endpoint folder holds something that cannot be served; the message names the file and the reason. */
final class EndpointLoadException extends Exception {
    EndpointLoadException(String message) {
        super(message, null, false, false);
    }
}
