package dev.chopsticks.bot.external;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.bot.data.Json;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.timelimiter.TimeLimiter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * GET requests to one upstream through its CircuitBreaker(TimeLimiter(call)): timeouts count as failures, 404s do
 * not, and an open breaker fails at once without touching the network.
 */
public final class GuardedHttp {
    private final String service;
    private final HttpClient client;
    private final CircuitBreaker breaker;
    private final TimeLimiter limiter;
    private final ExternalBreakers breakers;

    public GuardedHttp(String service, HttpClient client, ExternalBreakers breakers) {
        this.service = service;
        this.client = client;
        this.breakers = breakers;
        this.breaker = breakers.breaker(service);
        this.limiter = breakers.limiter(service);
    }

    /**
     * @return the body of a 2xx answer
     * @throws NotFoundException on 404
     * @throws UpstreamException on anything else, including an open breaker
     */
    public String get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(breakers.settings().timeout().plus(Duration.ofMillis(500)))
                .header("Accept", "application/json")
                .header("User-Agent", "Chopsticks-Bot (+https://github.com/chopsticks)")
                .GET()
                .build();
        CompletionStage<String> stage = breaker.executeCompletionStage(() -> limiter.executeCompletionStage(
                breakers.timeoutScheduler(),
                () -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .thenApply(this::body)));
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw translate(e.getCause() == null ? e : e.getCause());
        }
    }

    /** {@link #get}, parsed: an unreadable body is an {@link UpstreamException} too (the breaker does not count it). */
    public JsonNode getJson(URI uri) {
        String body = get(uri);
        try {
            return Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UpstreamException(service, "unreadable answer", false, e);
        }
    }

    private String body(HttpResponse<String> response) {
        int code = response.statusCode();
        if (code == 404) {
            throw new NotFoundException(service + " resource");
        }
        if (code < 200 || code > 299) {
            throw new UpstreamException(service, "HTTP " + code, false, null);
        }
        return response.body();
    }

    private RuntimeException translate(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return switch (cause) {
            case NotFoundException nf -> nf;
            case UpstreamException ue -> ue;
            case CallNotPermittedException open -> new UpstreamException(service, "circuit open", true, null);
            case TimeoutException timeout -> new UpstreamException(service, "timed out", false, null);
            default -> new UpstreamException(service, cause.getClass().getSimpleName(), false, cause);
        };
    }
}
