package dev.chopsticks.discordsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.chopsticks.discordsim.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Minimal REST caller for the simulator's Discord API. */
public final class HttpTestClient {
    public record Reply(int status, JsonNode json, HttpResponse<String> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final String base;
    private final String token;

    public HttpTestClient(DiscordSimulator sim) {
        this(sim.restBaseUrl(), sim.token());
    }

    public HttpTestClient(String base, String token) {
        this.base = base;
        this.token = token;
    }

    public Reply get(String path) {
        return call("GET", path, null, true);
    }

    public Reply call(String method, String path, String body, boolean auth) {
        return call(method, path, body, auth ? "Bot " + token : null, "application/json");
    }

    public Reply call(String method, String path, String body, String authorization, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isEmpty() ? MissingNode.getInstance() : Json.parse(r.body());
            return new Reply(r.statusCode(), json, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
