package dev.chopsticks.bot.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chopsticks.bot.config.DiscordConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Global command registration over plain HTTP (no gateway session needed, so any process or a Job can do it). */
public final class CommandsRestClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DiscordConfig discord;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public CommandsRestClient(DiscordConfig discord) {
        this.discord = discord;
    }

    /** PUT /applications/{id}/commands (bulk overwrite); returns how many commands Discord now has. */
    public int overwriteGlobal(CommandsPayload payload) throws IOException, InterruptedException {
        JsonNode app = send(HttpRequest.newBuilder(uri("applications/@me")).GET(), "GET /applications/@me");
        String appId = app.path("id").asText();
        if (appId.isEmpty()) {
            throw new IOException("GET /applications/@me: no application id");
        }
        JsonNode stored = send(
                HttpRequest.newBuilder(uri("applications/" + appId + "/commands"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(payload.json())),
                "PUT /applications/{id}/commands");
        return stored.size();
    }

    private URI uri(String path) {
        return discord.apiBaseUrl().resolve(path);
    }

    private JsonNode send(HttpRequest.Builder request, String what) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                request.timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bot " + discord.token().reveal())
                        .header("User-Agent", "DiscordBot (https://chopsticks.dev, 1) chopsticks-bot")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(what + " answered HTTP " + response.statusCode());
        }
        return MAPPER.readTree(response.body());
    }
}
