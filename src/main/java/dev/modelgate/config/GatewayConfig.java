package dev.modelgate.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the gateway is told at start-up, validated once by {@link GatewayConfigLoader} and passed to
 * whoever needs it. Immutable.
 *
 * @param modelsDir          the model repository folder ({@code models.dir})
 * @param reloadInterval     how often the repository is rescanned for new or changed models
 *                           ({@code models.reload.interval.ms}); zero disables hot reload
 * @param maxRequestBytes    largest request body accepted; larger ones get 413 ({@code request.max.bytes})
 * @param onnxIntraOpThreads threads ONNX Runtime may use inside one inference ({@code onnx.intra.op.threads})
 */
public record GatewayConfig(Path modelsDir, Duration reloadInterval, long maxRequestBytes, int onnxIntraOpThreads) {
}
