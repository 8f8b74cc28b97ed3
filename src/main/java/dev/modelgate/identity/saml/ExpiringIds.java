package dev.modelgate.identity.saml;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Message ids remembered until they expire, each usable once: the requests this SP sent and still waits an answer
 * for (taken when the answer arrives), and the assertions already consumed (so a replay is refused). Bounded: when
 * full, expired entries go first, then the entry closest to expiry, so a flood of sign-in starts cannot exhaust
 * memory (at worst it cancels other pending sign-ins, which the user retries). Thread-safe. Per JVM: see README
 * "SAML 2.0" on several nodes.
 *
 * @param <V> what is remembered with each id
 */
final class ExpiringIds<V> {
    private record Entry<V>(V value, Instant expiresAt) {
    }

    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final int capacity;
    private final Clock clock;

    ExpiringIds(int capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
    }

    /** Remembers {@code id} until {@code expiresAt}; false if it is already remembered (a replay). */
    boolean addIfAbsent(String id, V value, Instant expiresAt) {
        makeRoom();
        return entries.putIfAbsent(id, new Entry<>(value, expiresAt)) == null;
    }

    /** Forgets {@code id} and returns its value, if it was remembered and has not expired. */
    Optional<V> take(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Entry<V> entry = entries.remove(id);
        return entry == null || !entry.expiresAt().isAfter(clock.instant()) ? Optional.empty() : Optional.of(entry.value());
    }

    int size() {
        return entries.size();
    }

    private void makeRoom() {
        if (entries.size() < capacity) {
            return;
        }
        Instant now = clock.instant();
        entries.values().removeIf(entry -> !entry.expiresAt().isAfter(now));
        while (entries.size() >= capacity) {
            entries.entrySet().stream().min(Map.Entry.comparingByValue(java.util.Comparator.comparing(Entry::expiresAt)))
                    .ifPresent(oldest -> entries.remove(oldest.getKey()));
        }
    }
}
