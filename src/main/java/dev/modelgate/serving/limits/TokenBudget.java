package dev.modelgate.serving.limits;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Per-caller token budgets of one endpoint ({@code tokens-per-minute}): each key (the caller) may spend that many
 * tokens a minute, refilled continuously, holding at most one minute's worth. Texts are counted before the model runs,
 * so a request is let through while the caller's budget is not yet spent and then charged in full, even past zero:
 * one large request is never refused for being large, and the debt it leaves keeps the caller waiting for as long as
 * the budget takes to refill past it ("429 once spent", as AI gateways answer). A refusal says how long until the
 * budget is positive again, for Retry-After.
 *
 * <p>Memory is bounded by {@code maxKeys} budgets; when full, the least recently used is forgotten (that caller then
 * starts again with a full minute). Time comes from an injected nanosecond clock. Thread-safe: one short lock.
 */
public final class TokenBudget {
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;
    /** 0 when budgets are off. */
    private final long tokensPerMinute;
    private final int maxKeys;
    private final LongSupplier nanoClock;
    /** Access-ordered: the eldest entry is the least recently used key. Guarded by itself. */
    private final LinkedHashMap<String, Balance> balances = new LinkedHashMap<>(16, 0.75f, true);

    /** Tokens left (negative: owed) as of {@code atNanos}. */
    private static final class Balance {
        double tokens;
        long atNanos;

        Balance(double tokens, long atNanos) {
            this.tokens = tokens;
            this.atNanos = atNanos;
        }
    }

    /**
     * @param tokensPerMinute the budget of each key; 0 turns budgets off
     * @param maxKeys         the most keys remembered, at least 1
     */
    public TokenBudget(long tokensPerMinute, int maxKeys, LongSupplier nanoClock) {
        if (tokensPerMinute < 0) {
            throw new IllegalArgumentException("tokensPerMinute must be 0 (off) or more, got " + tokensPerMinute);
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, got " + maxKeys);
        }
        this.tokensPerMinute = tokensPerMinute;
        this.maxKeys = maxKeys;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Charges {@code tokens} to the key's budget if anything of it is left.
     *
     * @throws LimitExceededException (rate limited, with Retry-After) when the budget is spent; nothing is charged then
     */
    public void spend(String key, long tokens) {
        Objects.requireNonNull(key, "key");
        if (tokensPerMinute == 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        Duration wait;
        synchronized (balances) {
            Balance balance = balances.get(key);
            if (balance == null) {
                if (balances.size() >= maxKeys) {
                    Iterator<Balance> eldest = balances.values().iterator();
                    eldest.next();
                    eldest.remove();
                }
                balance = new Balance(tokensPerMinute, now);
                balances.put(key, balance);
            }
            balance.tokens = Math.min(tokensPerMinute, balance.tokens + (double) (now - balance.atNanos) * tokensPerMinute / NANOS_PER_MINUTE);
            balance.atNanos = now;
            if (balance.tokens > 0) {
                balance.tokens -= tokens;
                return;
            }
            // Until the balance is positive again: what is owed, and one token more, at the refill rate.
            wait = Duration.ofNanos((long) Math.ceil((1 - balance.tokens) * NANOS_PER_MINUTE / tokensPerMinute));
        }
        throw new LimitExceededException(LimitExceededException.Reason.RATE_LIMITED, "this caller's token budget on this "
                + "endpoint (" + tokensPerMinute + " tokens a minute) is spent; retry after the time in Retry-After", wait);
    }
}
