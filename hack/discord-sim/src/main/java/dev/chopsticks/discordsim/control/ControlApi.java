package dev.chopsticks.discordsim.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.discordsim.json.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.util.Map;

/** The {@code /_sim} HTTP control API: the {@link SimControl} operations for out-of-process tests. */
public final class ControlApi {
    public static final String PREFIX = "/_sim";

    private final SimControl sim;

    public ControlApi(SimControl sim) {
        this.sim = sim;
    }

    @FunctionalInterface
    private interface Op {
        Object run(Context ctx) throws Exception;
    }

    public void register(JavalinConfig cfg) {
        on(cfg, HandlerType.GET, "/world", ctx -> sim.worldInfo());
        on(cfg, HandlerType.POST, "/interactions", ctx -> sim.injectSlashCommand(read(ctx, SlashCommand.class)));
        on(
                cfg,
                HandlerType.GET,
                "/interactions/{id}",
                ctx -> sim.awaitReply(
                        Long.parseUnsignedLong(ctx.pathParam("id")),
                        Duration.ofMillis(longParam(ctx, "timeout_ms", 0))));
        on(
                cfg,
                HandlerType.POST,
                "/guilds",
                ctx -> Map.of(
                        "id",
                        sim.addGuild(read(ctx, JsonNode.class).path("name").asText("New Guild"))));
        on(cfg, HandlerType.DELETE, "/guilds/{id}", ctx -> Map.of("removed", sim.removeGuild(id(ctx))));
        on(
                cfg,
                HandlerType.POST,
                "/guilds/{id}/members",
                ctx -> Map.of(
                        "id",
                        sim.addMember(
                                id(ctx),
                                read(ctx, JsonNode.class).path("username").asText("new-user"))));
        on(
                cfg,
                HandlerType.POST,
                "/guilds/{id}/events/{event}",
                ctx -> Map.of("delivered", sim.dispatch(id(ctx), ctx.pathParam("event"), read(ctx, JsonNode.class))));
        on(
                cfg,
                HandlerType.POST,
                "/shards/{shard}/reconnect",
                ctx -> Map.of("affected", sim.forceReconnect(shard(ctx))));
        on(cfg, HandlerType.POST, "/shards/{shard}/drop", ctx -> Map.of("affected", sim.dropConnection(shard(ctx))));
        on(
                cfg,
                HandlerType.POST,
                "/shards/{shard}/invalidate",
                ctx -> Map.of("affected", sim.invalidateSession(shard(ctx))));
        on(
                cfg,
                HandlerType.GET,
                "/shards/{shard}/guilds",
                ctx -> sim.guildIdsForShard(shard(ctx), (int) longParam(ctx, "count", 1)));
        on(cfg, HandlerType.GET, "/stats", ctx -> sim.stats());
        on(cfg, HandlerType.POST, "/stats/reset", ctx -> {
            sim.resetStats();
            return Map.of("reset", true);
        });
        on(
                cfg,
                HandlerType.GET,
                "/commands",
                ctx -> sim.commands(
                        ctx.queryParam("guild_id") == null
                                ? null
                                : Long.parseUnsignedLong(ctx.queryParam("guild_id"))));
        on(cfg, HandlerType.GET, "/channels/{id}/messages", ctx -> sim.messages(id(ctx)));
        on(cfg, HandlerType.PUT, "/session-start-limit", ctx -> {
            JsonNode b = read(ctx, JsonNode.class);
            sim.setSessionStartLimit(
                    b.path("total").asInt(1_000),
                    b.path("remaining").asInt(b.path("total").asInt(1_000)));
            return sim.stats().sessionStartLimit();
        });
        on(cfg, HandlerType.PUT, "/identify-rule", ctx -> {
            JsonNode b = read(ctx, JsonNode.class);
            sim.setIdentifyRule(
                    b.path("maxConcurrency").asInt(1),
                    Duration.ofMillis(b.path("windowMs").asLong(5_000)));
            return sim.stats().identify();
        });
    }

    private static void on(JavalinConfig cfg, HandlerType method, String path, Op op) {
        Handler handler = ctx -> {
            int status;
            Object body;
            try {
                body = op.run(ctx);
                status = 200;
            } catch (NumberFormatException | JsonProcessingException e) {
                status = 400;
                body = Map.of("error", String.valueOf(e.getMessage()));
            } catch (IllegalArgumentException e) {
                status = 404;
                body = Map.of("error", String.valueOf(e.getMessage()));
            } catch (IllegalStateException e) {
                status = 409;
                body = Map.of("error", String.valueOf(e.getMessage()));
            }
            ctx.status(status).contentType("application/json").result(Json.CONTROL.writeValueAsString(body));
        };
        cfg.routes.addHttpHandler(method, PREFIX + path, handler);
    }

    private static <T> T read(Context ctx, Class<T> type) throws JsonProcessingException {
        String body = ctx.body();
        return Json.CONTROL.readValue(body.isBlank() ? "{}" : body, type);
    }

    private static long id(Context ctx) {
        return Long.parseUnsignedLong(ctx.pathParam("id"));
    }

    private static int shard(Context ctx) {
        return Integer.parseInt(ctx.pathParam("shard"));
    }

    private static long longParam(Context ctx, String name, long fallback) {
        String v = ctx.queryParam(name);
        return v == null ? fallback : Long.parseLong(v);
    }
}
