package dev.modelgate.serving.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.serving.ServingError;

/** Turns a {@link ServingError} into one wire protocol's error body. Stateless and thread-safe. */
public interface ErrorRenderer {
    ObjectNode body(ServingError error);
}
