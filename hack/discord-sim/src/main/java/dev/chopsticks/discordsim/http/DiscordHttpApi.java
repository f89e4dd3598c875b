package dev.chopsticks.discordsim.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.commands.CommandStore;
import dev.chopsticks.discordsim.gateway.Dispatcher;
import dev.chopsticks.discordsim.identify.BotToken;
import dev.chopsticks.discordsim.identify.IdentifyGate;
import dev.chopsticks.discordsim.identify.SessionStartBudget;
import dev.chopsticks.discordsim.interaction.InteractionRegistry;
import dev.chopsticks.discordsim.json.Json;
import dev.chopsticks.discordsim.metrics.SimMetrics;
import dev.chopsticks.discordsim.world.EntityJson;
import dev.chopsticks.discordsim.world.MessageStore;
import dev.chopsticks.discordsim.world.PostedMessage;
import dev.chopsticks.discordsim.world.SimChannel;
import dev.chopsticks.discordsim.world.SimGuild;
import dev.chopsticks.discordsim.world.Snowflake;
import dev.chopsticks.discordsim.world.World;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API subset under {@code /api/v10} (with {@code /api/v9} and {@code /api} aliases): bot auth,
 * Discord's rate-limit headers and 429s, and Discord-shaped JSON errors.
 */
public final class DiscordHttpApi {
    private static final Logger LOG = LoggerFactory.getLogger(DiscordHttpApi.class);
    private static final List<String> PREFIXES = List.of("/api/v10", "/api/v9", "/api");
    private static final Object NO_CONTENT = new Object();

    private enum Auth {
        BOT,
        NONE
    }

    @FunctionalInterface
    private interface ApiHandler {
        /** Returns a JSON node (200) or {@link #NO_CONTENT} (204). */
        Object handle(Context ctx) throws Exception;
    }

    private final World world;
    private final BotToken token;
    private final RateLimiter limiter;
    private final CommandStore commands;
    private final InteractionRegistry interactions;
    private final MessageStore messages;
    private final Dispatcher dispatcher;
    private final SessionStartBudget budget;
    private final IdentifyGate gate;
    private final SimMetrics metrics;
    private final Supplier<String> gatewayUrl;

    public DiscordHttpApi(
            World world,
            BotToken token,
            RateLimiter limiter,
            CommandStore commands,
            InteractionRegistry interactions,
            MessageStore messages,
            Dispatcher dispatcher,
            SessionStartBudget budget,
            IdentifyGate gate,
            SimMetrics metrics,
            Supplier<String> gatewayUrl) {
        this.world = world;
        this.token = token;
        this.limiter = limiter;
        this.commands = commands;
        this.interactions = interactions;
        this.messages = messages;
        this.dispatcher = dispatcher;
        this.budget = budget;
        this.gate = gate;
        this.metrics = metrics;
        this.gatewayUrl = gatewayUrl;
    }

    public void register(JavalinConfig cfg) {
        route(cfg, HandlerType.GET, "/gateway", Auth.NONE, null, ctx -> Json.object().put("url", gatewayUrl.get()));
        route(cfg, HandlerType.GET, "/gateway/bot", Auth.BOT, null, ctx -> gatewayBot());
        route(cfg, HandlerType.GET, "/users/@me", Auth.BOT, null, ctx -> EntityJson.selfUser(world.bot()));
        route(cfg, HandlerType.GET, "/applications/@me", Auth.BOT, null, ctx -> application());
        route(cfg, HandlerType.GET, "/oauth2/applications/@me", Auth.BOT, null, ctx -> application());

        route(cfg, HandlerType.GET, "/applications/{app}/commands", Auth.BOT, "app", ctx -> list(commands.list(app(ctx))));
        route(cfg, HandlerType.PUT, "/applications/{app}/commands", Auth.BOT, "app", ctx -> list(commands.overwrite(appScope(ctx), body(ctx))));
        route(cfg, HandlerType.POST, "/applications/{app}/commands", Auth.BOT, "app", ctx -> commands.upsert(appScope(ctx), body(ctx)));
        route(cfg, HandlerType.GET, "/applications/{app}/guilds/{guild}/commands", Auth.BOT, "guild", ctx -> list(commands.list(guildScope(ctx))));
        route(cfg, HandlerType.PUT, "/applications/{app}/guilds/{guild}/commands", Auth.BOT, "guild", ctx -> list(commands.overwrite(guildScope(ctx), body(ctx))));
        route(cfg, HandlerType.POST, "/applications/{app}/guilds/{guild}/commands", Auth.BOT, "guild", ctx -> commands.upsert(guildScope(ctx), body(ctx)));

        route(cfg, HandlerType.POST, "/interactions/{id}/{token}/callback", Auth.NONE, "id", ctx -> {
            long id = snowflake(ctx, "id");
            boolean withResponse = "true".equalsIgnoreCase(ctx.queryParam("with_response"));
            return interactions.callback(id, ctx.pathParam("token"), body(ctx), withResponse).<Object>map(o -> o).orElse(NO_CONTENT);
        });
        route(cfg, HandlerType.GET, "/webhooks/{app}/{token}/messages/@original", Auth.NONE, "token",
                ctx -> interactions.original(snowflake(ctx, "app"), ctx.pathParam("token")));
        route(cfg, HandlerType.PATCH, "/webhooks/{app}/{token}/messages/@original", Auth.NONE, "token",
                ctx -> interactions.editOriginal(snowflake(ctx, "app"), ctx.pathParam("token"), body(ctx)));
        route(cfg, HandlerType.GET, "/webhooks/{app}/{token}/messages/{message}", Auth.NONE, "token",
                ctx -> interactions.followupMessage(snowflake(ctx, "app"), ctx.pathParam("token"), snowflake(ctx, "message")));
        route(cfg, HandlerType.PATCH, "/webhooks/{app}/{token}/messages/{message}", Auth.NONE, "token",
                ctx -> interactions.editFollowup(snowflake(ctx, "app"), ctx.pathParam("token"), snowflake(ctx, "message"), body(ctx)));
        route(cfg, HandlerType.POST, "/webhooks/{app}/{token}", Auth.NONE, "token",
                ctx -> interactions.followup(snowflake(ctx, "app"), ctx.pathParam("token"), body(ctx)));

        route(cfg, HandlerType.GET, "/channels/{channel}", Auth.BOT, "channel",
                ctx -> EntityJson.channel(channel(ctx)));
        route(cfg, HandlerType.POST, "/channels/{channel}/messages", Auth.BOT, "channel", this::createMessage);
        route(cfg, HandlerType.GET, "/channels/{channel}/messages", Auth.BOT, "channel", ctx -> {
            ArrayNode out = Json.array();
            List<PostedMessage> all = messages.inChannel(channel(ctx).id());
            int limit = Math.max(1, Math.min(100, parseIntOr(ctx.queryParam("limit"), 50)));
            for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
                out.add(all.get(i).json().deepCopy()); // newest first, as Discord lists them
            }
            return out;
        });
        route(cfg, HandlerType.GET, "/guilds/{guild}", Auth.BOT, "guild", ctx -> {
            SimGuild guild = world.guild(snowflake(ctx, "guild")).orElseThrow(DiscordApiException::unknownGuild);
            return EntityJson.restGuild(guild, world.bot(), "true".equalsIgnoreCase(ctx.queryParam("with_counts")));
        });
    }

    /** Discord-shaped 404 for anything unrouted under the API prefixes. */
    public static boolean writeNotFoundIfApi(Context ctx) {
        if (ctx.path().startsWith("/api") && ctx.attribute("discord-error") == null) {
            write(ctx, DiscordApiException.notFound());
            return true;
        }
        return false;
    }

    private void route(JavalinConfig cfg, HandlerType method, String path, Auth auth, String major, ApiHandler handler) {
        String bucket = Integer.toHexString((method + " " + path).hashCode());
        for (String prefix : PREFIXES) {
            cfg.routes.addHttpHandler(method, prefix + path, ctx -> serve(ctx, auth, bucket, major, handler));
        }
    }

    private void serve(Context ctx, Auth auth, String bucket, String major, ApiHandler handler) {
        metrics.httpRequests.increment();
        ctx.header("Via", "1.1 google"); // JDA treats a 429 without Via as a Cloudflare ban
        try {
            String presented = ctx.header("Authorization");
            if (auth == Auth.BOT && !token.acceptsAuthorization(presented)) {
                throw DiscordApiException.unauthorized();
            }
            RateLimiter.Decision d = limiter.check(auth == Auth.BOT ? token.value() : null, bucket, major == null ? "" : ctx.pathParam(major));
            if (!d.allowed()) {
                rateLimited(ctx, d);
                return;
            }
            ctx.header("X-RateLimit-Limit", Integer.toString(d.limit()));
            ctx.header("X-RateLimit-Remaining", Integer.toString(d.remaining()));
            ctx.header("X-RateLimit-Reset", String.format(Locale.ROOT, "%.3f", d.resetAtMs() / 1000.0));
            ctx.header("X-RateLimit-Reset-After", String.format(Locale.ROOT, "%.3f", d.resetAfterMs() / 1000.0));
            ctx.header("X-RateLimit-Bucket", d.bucket());
            Object result = handler.handle(ctx);
            if (result == NO_CONTENT) {
                ctx.status(204);
            } else {
                ctx.status(200).contentType("application/json").result(Json.write(result));
            }
        } catch (DiscordApiException e) {
            write(ctx, e);
        } catch (JsonProcessingException e) {
            write(ctx, DiscordApiException.invalidJson());
        } catch (RuntimeException e) {
            LOG.warn("HTTP handler failed: {} {}", ctx.method(), ctx.path(), e);
            write(ctx, new DiscordApiException(500, 0, "500: Internal Server Error"));
        } catch (Exception e) {
            LOG.warn("HTTP handler failed: {} {}", ctx.method(), ctx.path(), e);
            write(ctx, new DiscordApiException(500, 0, "500: Internal Server Error"));
        }
    }

    private void rateLimited(Context ctx, RateLimiter.Decision d) {
        metrics.httpRateLimited.increment();
        double retryAfter = Math.max(0.001, d.resetAfterMs() / 1000.0);
        ctx.header("Retry-After", Long.toString((long) Math.ceil(retryAfter)));
        ctx.header("X-RateLimit-Scope", d.global() ? "global" : "user");
        if (d.global()) {
            ctx.header("X-RateLimit-Global", "true");
        } else {
            ctx.header("X-RateLimit-Limit", Integer.toString(d.limit()));
            ctx.header("X-RateLimit-Remaining", "0");
            ctx.header("X-RateLimit-Reset", String.format(Locale.ROOT, "%.3f", d.resetAtMs() / 1000.0));
            ctx.header("X-RateLimit-Reset-After", String.format(Locale.ROOT, "%.3f", retryAfter));
            ctx.header("X-RateLimit-Bucket", d.bucket());
        }
        ObjectNode body = Json.object()
                .put("message", "You are being rate limited.")
                .put("retry_after", retryAfter)
                .put("global", d.global())
                .put("code", 0);
        ctx.attribute("discord-error", Boolean.TRUE);
        ctx.status(429).contentType("application/json").result(Json.write(body));
    }

    static void write(Context ctx, DiscordApiException e) {
        ctx.attribute("discord-error", Boolean.TRUE);
        ctx.header("Via", "1.1 google");
        ctx.status(e.status()).contentType("application/json").result(Json.write(e.body()));
    }

    private ObjectNode gatewayBot() {
        ObjectNode o = Json.object()
                .put("url", gatewayUrl.get())
                .put("shards", Math.max(1, (world.guildCount() + 999) / 1000));
        var limit = budget.snapshot(gate.maxConcurrency());
        o.putObject("session_start_limit")
                .put("total", limit.total())
                .put("remaining", limit.remaining())
                .put("reset_after", limit.resetAfterMs())
                .put("max_concurrency", limit.maxConcurrency());
        return o;
    }

    private ObjectNode application() {
        ObjectNode o = Json.object()
                .put("id", EntityJson.id(world.applicationId()))
                .put("name", world.bot().username())
                .putNull("icon")
                .put("description", "")
                .put("summary", "")
                .put("bot_public", true)
                .put("bot_require_code_grant", false)
                .put("verify_key", "0".repeat(64))
                .putNull("team")
                .put("flags", 0)
                .put("approximate_guild_count", world.guildCount());
        o.set("bot", EntityJson.user(world.bot()));
        o.set("owner", EntityJson.user(world.user(world.guilds().isEmpty() ? world.bot().id() : world.guilds().iterator().next().ownerId())
                .orElse(world.bot())));
        o.putArray("tags");
        o.putArray("redirect_uris");
        return o;
    }

    private Object createMessage(Context ctx) throws JsonProcessingException {
        SimChannel channel = channel(ctx);
        if (!channel.type().isText()) {
            throw new DiscordApiException(400, 50008, "Cannot send messages in a non-text channel");
        }
        JsonNode body = body(ctx);
        MessageBodies.validateCreate(body);
        ObjectNode message = EntityJson.message(Snowflake.next(), channel, world.bot(), Instant.now(), 0);
        MessageBodies.apply(message, body);
        if (body.hasNonNull("nonce")) {
            message.set("nonce", body.get("nonce"));
        }
        world.guild(channel.guildId()).flatMap(g -> g.member(world.bot().id()))
                .ifPresent(m -> message.set("member", EntityJson.member(m, false)));
        long id = Long.parseUnsignedLong(message.get("id").asText());
        messages.add(new PostedMessage(id, channel.id(), world.bot().id(), message.path("content").asText(""),
                PostedMessage.Source.BOT_REST, Instant.now(), message.deepCopy()));
        // Discord echoes the bot's own message to its sessions (with the GUILD_MESSAGES intent).
        dispatcher.toGuild(channel.guildId(), "MESSAGE_CREATE", message);
        return message;
    }

    private SimChannel channel(Context ctx) {
        return world.channel(snowflake(ctx, "channel")).orElseThrow(DiscordApiException::unknownChannel);
    }

    private Long app(Context ctx) {
        return appScope(ctx);
    }

    /** Global scope (null) after checking the path's application is ours. */
    private Long appScope(Context ctx) {
        if (snowflake(ctx, "app") != world.applicationId()) {
            throw DiscordApiException.missingAccess();
        }
        return null;
    }

    private Long guildScope(Context ctx) {
        appScope(ctx);
        long guildId = snowflake(ctx, "guild");
        if (world.guild(guildId).isEmpty()) {
            throw DiscordApiException.missingAccess();
        }
        return guildId;
    }

    private static ArrayNode list(List<ObjectNode> items) {
        ArrayNode out = Json.array();
        items.forEach(out::add);
        return out;
    }

    static long snowflake(Context ctx, String param) {
        String raw = ctx.pathParam(param);
        try {
            return Long.parseUnsignedLong(raw);
        } catch (NumberFormatException e) {
            throw DiscordApiException.invalidFormBody(new FormErrors()
                    .add("NUMBER_TYPE_COERCE", "Value \"" + raw + "\" is not snowflake.", param + "_id"));
        }
    }

    /** JSON body, or the {@code payload_json} part of a multipart upload. */
    static JsonNode body(Context ctx) throws JsonProcessingException {
        String text;
        if (ctx.isMultipartFormData()) {
            text = ctx.formParam("payload_json");
            if (text == null) {
                return Json.object();
            }
        } else {
            text = ctx.body();
        }
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        JsonNode node = Json.parse(text);
        return node == null ? MissingNode.getInstance() : node;
    }

    private static int parseIntOr(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
