package dev.chopsticks.bot.identify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chopsticks.bot.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@code GET /gateway/bot} with the bot token; the token goes only into the Authorization header, never a log. */
public class GatewayBotClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The token was rejected (HTTP 401): nothing will work until it is replaced. */
    public static final class InvalidTokenException extends IOException {
        public InvalidTokenException() {
            super("Discord rejected the bot token (401 on GET /gateway/bot)");
        }
    }

    private final URI uri;
    private final Secret token;
    private final HttpClient http;

    /** @param apiBaseUrl e.g. {@code https://discord.com/api/v10/} (with the trailing slash) */
    public GatewayBotClient(URI apiBaseUrl, Secret token) {
        this.uri = apiBaseUrl.resolve("gateway/bot");
        this.token = token;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    public GatewayBot fetch() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bot " + token.reveal())
                .header("User-Agent", "DiscordBot (https://chopsticks.dev, 1) chopsticks-bot")
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401) {
            throw new InvalidTokenException();
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET /gateway/bot answered HTTP " + response.statusCode());
        }
        return parse(MAPPER.readTree(response.body()));
    }

    static GatewayBot parse(JsonNode body) throws IOException {
        JsonNode limit = body.path("session_start_limit");
        if (!body.path("url").isTextual() || !limit.isObject()) {
            throw new IOException("GET /gateway/bot: unexpected body (no url or session_start_limit)");
        }
        return new GatewayBot(
                body.get("url").asText(),
                body.path("shards").asInt(1),
                new SessionStartLimit(
                        limit.path("total").asInt(),
                        limit.path("remaining").asInt(),
                        Duration.ofMillis(limit.path("reset_after").asLong()),
                        Math.max(1, limit.path("max_concurrency").asInt(1))));
    }
}
