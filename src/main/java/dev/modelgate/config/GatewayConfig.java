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
 * @param maxHeaderBytes     largest request line plus headers the WAR itself accepts, 414 or 431 past it
 *                           ({@code request.max.header.bytes}); 0, the default, leaves it to the container
 * @param onnxIntraOpThreads threads ONNX Runtime may use inside one inference ({@code onnx.intra.op.threads})
 * @param identitySettings   {@code identity.<provider>.<setting>} values that override the role mapping's provider
 *                           settings at deployment time (e.g. the IdP's discovery URL), keyed without the prefix
 * @param secureCookies      whether the session cookie is {@code Secure} ({@code session.cookie.secure}); turn off
 *                           only for plain-HTTP runs on loopback
 * @param sessionIdle        a browser session ends after this long without a request ({@code session.idle.timeout.minutes})
 * @param sessionAbsolute    and in any case this long after sign-in, active or not ({@code session.absolute.timeout.minutes})
 * @param audit              where and how the audit trail is kept ({@code audit.*})
 * @param limitSettings      the {@code limits.*} keys as given (per-endpoint back-pressure, parsed per endpoint by
 *                           {@link dev.modelgate.serving.limits.LimitSettings#fromProperties})
 * @param tokens             service tokens ({@code tokens.*})
 * @param bearerCache        how many verified bearer JWTs are remembered, and how long ({@code bearer.cache.*})
 * @param secretsRefresh     how often secrets given by reference are read again ({@code secrets.refresh.interval});
 *                           zero: never, rotated secrets then need a restart
 */
public record GatewayConfig(Path modelsDir, Duration reloadInterval, long maxRequestBytes, long maxHeaderBytes,
                            int onnxIntraOpThreads, java.util.Map<String, String> identitySettings, boolean secureCookies,
                            Duration sessionIdle, Duration sessionAbsolute, dev.modelgate.audit.AuditSettings audit,
                            java.util.Map<String, String> limitSettings, dev.modelgate.identity.tokens.TokenSettings tokens,
                            dev.modelgate.identity.bearer.BearerCacheSettings bearerCache, Duration secretsRefresh) {
    public GatewayConfig {
        identitySettings = java.util.Map.copyOf(identitySettings);
        limitSettings = java.util.Map.copyOf(limitSettings);
    }
}
