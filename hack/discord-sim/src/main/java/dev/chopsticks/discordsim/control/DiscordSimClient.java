package dev.chopsticks.discordsim.control;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.identify.IdentifyStats;
import dev.chopsticks.discordsim.identify.SessionStartLimit;
import dev.chopsticks.discordsim.interaction.InteractionOutcome;
import dev.chopsticks.discordsim.interaction.InteractionRef;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.discordsim.json.Json;
import dev.chopsticks.discordsim.metrics.SimStats;
import dev.chopsticks.discordsim.world.PostedMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Java client for the {@code /_sim} control API, for tests that drive a simulator running elsewhere
 * (the shaded jar, or the pod in the kind demo).
 */
public final class DiscordSimClient implements SimControl {
    private final URI base;
    private final HttpClient http;

    /** @param baseUrl the simulator's HTTP root, e.g. {@code http://discord-sim:8090} */
    public DiscordSimClient(String baseUrl) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public WorldInfo worldInfo() {
        return call("GET", "/world", null, WorldInfo.class);
    }

    @Override
    public InteractionRef injectSlashCommand(SlashCommand command) {
        return call("POST", "/interactions", command, InteractionRef.class);
    }

    @Override
    public InteractionOutcome awaitReply(long interactionId, Duration timeout) {
        return call(
                "GET",
                "/interactions/" + Long.toUnsignedString(interactionId) + "?timeout_ms=" + timeout.toMillis(),
                null,
                InteractionOutcome.class,
                timeout.plusSeconds(10));
    }

    @Override
    public long addGuild(String name) {
        return call("POST", "/guilds", Json.object().put("name", name), JsonNode.class)
                .path("id")
                .asLong();
    }

    @Override
    public boolean removeGuild(long guildId) {
        return call("DELETE", "/guilds/" + Long.toUnsignedString(guildId), null, JsonNode.class)
                .path("removed")
                .asBoolean();
    }

    @Override
    public long addMember(long guildId, String username) {
        return call(
                        "POST",
                        "/guilds/" + Long.toUnsignedString(guildId) + "/members",
                        Json.object().put("username", username),
                        JsonNode.class)
                .path("id")
                .asLong();
    }

    @Override
    public int dispatch(long guildId, String event, JsonNode data) {
        return call("POST", "/guilds/" + Long.toUnsignedString(guildId) + "/events/" + event, data, JsonNode.class)
                .path("delivered")
                .asInt();
    }

    @Override
    public int forceReconnect(int shardId) {
        return shardOp(shardId, "reconnect");
    }

    @Override
    public int dropConnection(int shardId) {
        return shardOp(shardId, "drop");
    }

    @Override
    public int invalidateSession(int shardId) {
        return shardOp(shardId, "invalidate");
    }

    private int shardOp(int shardId, String op) {
        return call("POST", "/shards/" + shardId + "/" + op, null, JsonNode.class)
                .path("affected")
                .asInt();
    }

    @Override
    public SimStats stats() {
        return call("GET", "/stats", null, SimStats.class);
    }

    @Override
    public void resetStats() {
        call("POST", "/stats/reset", null, JsonNode.class);
    }

    @Override
    public List<JsonNode> commands(Long guildId) {
        String q = guildId == null ? "" : "?guild_id=" + Long.toUnsignedString(guildId);
        return call("GET", "/commands" + q, null, new TypeReference<List<JsonNode>>() {});
    }

    @Override
    public List<PostedMessage> messages(long channelId) {
        return call(
                "GET",
                "/channels/" + Long.toUnsignedString(channelId) + "/messages",
                null,
                new TypeReference<List<PostedMessage>>() {});
    }

    @Override
    public List<Long> guildIdsForShard(int shardId, int shardCount) {
        return call(
                "GET", "/shards/" + shardId + "/guilds?count=" + shardCount, null, new TypeReference<List<Long>>() {});
    }

    @Override
    public void setSessionStartLimit(int total, int remaining) {
        ObjectNode body = Json.object().put("total", total).put("remaining", remaining);
        call("PUT", "/session-start-limit", body, SessionStartLimit.class);
    }

    @Override
    public void setIdentifyRule(int maxConcurrency, Duration window) {
        ObjectNode body = Json.object().put("maxConcurrency", maxConcurrency).put("windowMs", window.toMillis());
        call("PUT", "/identify-rule", body, IdentifyStats.class);
    }

    private <T> T call(String method, String path, Object body, Class<T> type) {
        return call(method, path, body, type, Duration.ofSeconds(30));
    }

    private <T> T call(String method, String path, Object body, Class<T> type, Duration timeout) {
        return Json.CONTROL.convertValue(send(method, path, body, timeout), type);
    }

    private <T> T call(String method, String path, Object body, TypeReference<T> type) {
        return Json.CONTROL.convertValue(send(method, path, body, Duration.ofSeconds(30)), type);
    }

    private JsonNode send(String method, String path, Object body, Duration timeout) {
        try {
            HttpRequest.BodyPublisher publisher = body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(Json.CONTROL.writeValueAsString(body));
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + ControlApi.PREFIX + path))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .method(method, publisher)
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = Json.CONTROL.readTree(response.body());
            if (response.statusCode() == 404) {
                throw new IllegalArgumentException(json.path("error").asText());
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "Control API " + method + " " + path + " -> " + response.statusCode() + ": " + response.body());
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
