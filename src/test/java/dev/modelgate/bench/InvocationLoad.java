package dev.modelgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.serving.invocation.InvocationHeaders;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load of invocations from a few client threads (java.net.http, loopback), bounded in count and time, that
 * remembers what a client saw: the request id ({@value InvocationHeaders#REQUEST_ID}) of every response answered
 * 200, how many answers had each other status, how many 503s carried a JSON error body, and how many requests got no
 * answer at all (the server went away). The trail checks and the fault tests compare the 200s with the audit trail.
 * Thread-safe.
 */
public final class InvocationLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final HttpRequest request;
    private final long maxRequests;
    private final long deadline;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final Set<String> okIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong okWithoutId = new AtomicLong();
    private final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
    private final AtomicLong unavailableJson = new AtomicLong();
    private final AtomicLong noAnswer = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    /** What the clients saw. {@code byStatus} counts every answer, 200 included. */
    public record Outcome(Set<String> okIds, long okWithoutId, Map<Integer, Long> byStatus, long unavailableJson, long noAnswer) {
        public long answered(int status) {
            return byStatus.getOrDefault(status, 0L);
        }

        public long otherStatus() {
            return byStatus.entrySet().stream().filter(e -> e.getKey() != 200 && e.getKey() != 503)
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    /** Starts {@code threads} clients that send {@code body} to {@code target} until stopped or a bound is reached. */
    public InvocationLoad(URI target, Map<String, String> headers, String body, int threads, long maxRequests, Duration maxTime) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        this.request = builder.build();
        this.maxRequests = maxRequests;
        this.deadline = System.nanoTime() + maxTime.toNanos();
        for (int i = 0; i < threads; i++) {
            Thread client = new Thread(this::sendUntilDone, "bench-load-" + i);
            client.setDaemon(true);
            this.threads.add(client);
        }
        this.threads.forEach(Thread::start);
    }

    public long answered(int status) {
        AtomicLong count = byStatus.get(status);
        return count == null ? 0 : count.get();
    }

    public boolean running() {
        return threads.stream().anyMatch(Thread::isAlive);
    }

    /** Tells the clients to stop after their current request, waits for them, and returns what they saw. */
    public Outcome stop() throws InterruptedException {
        stopped.set(true);
        for (Thread client : threads) {
            client.join(REQUEST_TIMEOUT.toMillis() + 5_000);
        }
        Map<Integer, Long> statuses = new TreeMap<>();
        byStatus.forEach((status, count) -> statuses.put(status, count.get()));
        return new Outcome(Set.copyOf(okIds), okWithoutId.get(), statuses, unavailableJson.get(), noAnswer.get());
    }

    private void sendUntilDone() {
        while (!stopped.get() && System.nanoTime() < deadline && sent.incrementAndGet() <= maxRequests) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                byStatus.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
                if (response.statusCode() == 200) {
                    response.headers().firstValue(InvocationHeaders.REQUEST_ID)
                            .ifPresentOrElse(okIds::add, okWithoutId::incrementAndGet);
                } else if (response.statusCode() == 503 && isJsonObject(response.body())) {
                    unavailableJson.incrementAndGet();
                }
            } catch (IOException e) {
                noAnswer.incrementAndGet();
                pause(); // the server is gone or going: do not spin
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean isJsonObject(String body) {
        try {
            return JSON.readTree(body).isObject();
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
