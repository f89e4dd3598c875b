package dev.chopsticks.discordsim.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.commands.CommandStore;
import dev.chopsticks.discordsim.errors.DiscordApiException;
import dev.chopsticks.discordsim.gateway.Dispatcher;
import dev.chopsticks.discordsim.identify.BotToken;
import dev.chopsticks.discordsim.identify.IdentifyGate;
import dev.chopsticks.discordsim.identify.SessionStartBudget;
import dev.chopsticks.discordsim.interaction.InteractionRegistry;
import dev.chopsticks.discordsim.json.Json;
import dev.chopsticks.discordsim.metrics.SimMetrics;
import dev.chopsticks.discordsim.world.EntityJson;
import dev.chopsticks.discordsim.world.MessageBodies;
import dev.chopsticks.discordsim.world.MessageStore;
import dev.chopsticks.discordsim.world.PostedMessage;
import dev.chopsticks.discordsim.world.SimChannel;
import dev.chopsticks.discordsim.world.SimGuild;
import dev.chopsticks.discordsim.world.Snowflake;
import dev.chopsticks.discordsim.world.World;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API subset under {@code /api/v10} (with {@code /api/v9} and {@code /api} aliases): bot auth,
 * Discord's rate-limit headers and 429s, and Discord-shaped JSON errors.
 */
public final class DiscordHttpApi {
    private static final Logger LOG = LoggerFactory.getLogger(DiscordHttpApi.class);
    /** Longest first: {@code /api/v10/...}, {@code /api/v9/...} and the unversioned {@code /api/...} alias. */
    private static final List<String> PREFIXES = List.of("/api/v10", "/api/v9", "/api");

    private static final Object NO_CONTENT = new Object();

    private enum Auth {
        BOT,
        NONE
    }

    @FunctionalInterface
    private interface ApiHandler {
        /** Returns a JSON node (200) or {@link #NO_CONTENT} (204). */
        Object handle(ApiRequest req) throws Exception;
    }

    /** {@code bucketHeaders}: whether allowed requests carry the X-RateLimit-* headers of their bucket. */
    private record Route(Auth auth, String bucket, String major, boolean bucketHeaders, ApiHandler handler) {}

    private final ApiRouter<Route> router = new ApiRouter<>();

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
        registerRoutes();
    }

    private void registerRoutes() {
        route("GET", "/gateway", Auth.NONE, null, req -> Json.object().put("url", gatewayUrl.get()));
        route("GET", "/gateway/bot", Auth.BOT, null, req -> gatewayBot());
        route("GET", "/users/@me", Auth.BOT, null, req -> EntityJson.selfUser(world.bot()));
        route("GET", "/applications/@me", Auth.BOT, null, req -> application());
        route("GET", "/oauth2/applications/@me", Auth.BOT, null, req -> application());

        route("GET", "/applications/{app}/commands", Auth.BOT, "app", req -> list(commands.list(appScope(req))));
        route(
                "PUT",
                "/applications/{app}/commands",
                Auth.BOT,
                "app",
                req -> list(commands.overwrite(appScope(req), req.json())));
        route(
                "POST",
                "/applications/{app}/commands",
                Auth.BOT,
                "app",
                req -> commands.upsert(appScope(req), req.json()));
        route(
                "GET",
                "/applications/{app}/guilds/{guild}/commands",
                Auth.BOT,
                "guild",
                req -> list(commands.list(guildScope(req))));
        route(
                "PUT",
                "/applications/{app}/guilds/{guild}/commands",
                Auth.BOT,
                "guild",
                req -> list(commands.overwrite(guildScope(req), req.json())));
        route(
                "POST",
                "/applications/{app}/guilds/{guild}/commands",
                Auth.BOT,
                "guild",
                req -> commands.upsert(guildScope(req), req.json()));

        // Discord answers interaction callbacks without X-RateLimit-* headers: the route has no bucket of its own.
        routeWithoutBucketHeaders("POST", "/interactions/{id}/{token}/callback", "id", req -> {
            long id = req.snowflake("id");
            boolean withResponse = "true".equalsIgnoreCase(req.queryParam("with_response"));
            return interactions
                    .callback(id, req.pathParam("token"), req.json(), withResponse)
                    .<Object>map(o -> o)
                    .orElse(NO_CONTENT);
        });
        route(
                "GET",
                "/webhooks/{app}/{token}/messages/@original",
                Auth.NONE,
                "token",
                req -> interactions.original(req.snowflake("app"), req.pathParam("token")));
        route(
                "PATCH",
                "/webhooks/{app}/{token}/messages/@original",
                Auth.NONE,
                "token",
                req -> interactions.editOriginal(req.snowflake("app"), req.pathParam("token"), req.json()));
        route(
                "GET",
                "/webhooks/{app}/{token}/messages/{message}",
                Auth.NONE,
                "token",
                req -> interactions.followupMessage(
                        req.snowflake("app"), req.pathParam("token"), req.snowflake("message")));
        route(
                "PATCH",
                "/webhooks/{app}/{token}/messages/{message}",
                Auth.NONE,
                "token",
                req -> interactions.editFollowup(
                        req.snowflake("app"), req.pathParam("token"), req.snowflake("message"), req.json()));
        route(
                "POST",
                "/webhooks/{app}/{token}",
                Auth.NONE,
                "token",
                req -> interactions.followup(req.snowflake("app"), req.pathParam("token"), req.json()));

        route("GET", "/channels/{channel}", Auth.BOT, "channel", req -> EntityJson.channel(channel(req)));
        route("POST", "/channels/{channel}/messages", Auth.BOT, "channel", this::createMessage);
        route("GET", "/channels/{channel}/messages", Auth.BOT, "channel", req -> {
            ArrayNode out = Json.array();
            List<PostedMessage> all = messages.inChannel(channel(req).id());
            int limit = Math.max(1, Math.min(100, parseIntOr(req.queryParam("limit"), 50)));
            for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
                out.add(all.get(i).json().deepCopy()); // newest first, as Discord lists them
            }
            return out;
        });
        route("GET", "/guilds/{guild}", Auth.BOT, "guild", req -> {
            SimGuild guild = world.guild(req.snowflake("guild")).orElseThrow(DiscordApiException::unknownGuild);
            return EntityJson.restGuild(guild, world.bot(), "true".equalsIgnoreCase(req.queryParam("with_counts")));
        });
    }

    /** Routes, authenticates, rate-limits and runs one API request. Never throws. */
    public ApiResponse handle(ApiRequest request) {
        metrics.httpRequests.increment();
        ApiResponse response =
                new ApiResponse().header("Via", "1.1 google"); // JDA treats a 429 without Via as a Cloudflare ban
        String path = stripPrefix(request.path());
        ApiRouter.Match<Route> match = router.match(request.method(), path);
        if (match == null) {
            return error(response, DiscordApiException.notFound());
        }
        if (match.target() == null) {
            return error(response, new DiscordApiException(405, 0, "405: Method Not Allowed"));
        }
        Route route = match.target();
        ApiRequest req = request.withPathParams(match.params());
        try {
            if (route.auth() == Auth.BOT && !token.acceptsAuthorization(req.header("Authorization"))) {
                throw DiscordApiException.unauthorized();
            }
            RateLimiter.Decision d = limiter.check(
                    route.auth() == Auth.BOT ? token.value() : null,
                    route.bucket(),
                    route.major() == null ? "" : req.pathParam(route.major()));
            if (!d.allowed()) {
                metrics.httpRateLimited.increment();
                return RateLimitHeaders.tooManyRequests(response, d);
            }
            if (route.bucketHeaders()) {
                RateLimitHeaders.allowed(response, d);
            }
            Object result = route.handler().handle(req);
            return result == NO_CONTENT
                    ? response.status(204)
                    : response.status(200).json(Json.write(result));
        } catch (DiscordApiException e) {
            return error(response, e);
        } catch (JsonProcessingException e) {
            return error(response, DiscordApiException.invalidJson());
        } catch (Exception e) {
            LOG.warn("HTTP handler failed: {} {}", req.method(), req.path(), e);
            return error(response, new DiscordApiException(500, 0, "500: Internal Server Error"));
        }
    }

    private static String stripPrefix(String path) {
        for (String prefix : PREFIXES) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return path.substring(prefix.length());
            }
        }
        return path;
    }

    private void route(String method, String path, Auth auth, String major, ApiHandler handler) {
        router.add(method, path, new Route(auth, bucketOf(method, path), major, true, handler));
    }

    private void routeWithoutBucketHeaders(String method, String path, String major, ApiHandler handler) {
        router.add(method, path, new Route(Auth.NONE, bucketOf(method, path), major, false, handler));
    }

    private static String bucketOf(String method, String path) {
        return Integer.toHexString((method + " " + path).hashCode());
    }

    private static ApiResponse error(ApiResponse response, DiscordApiException e) {
        return response.status(e.status()).json(Json.write(e.body()));
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
                .put("approximate_guild_count", world.guildCount())
                .put("approximate_user_install_count", 0)
                .put("approximate_user_authorization_count", 0)
                .putNull("interactions_endpoint_url")
                .putNull("role_connections_verification_url")
                .putNull("event_webhooks_url")
                .put("event_webhooks_status", 1); // 1: disabled
        // Installable to guilds only (0: GUILD_INSTALL), with the bot and commands scopes, as a bot app is by default.
        o.putObject("integration_types_config")
                .putObject("0")
                .putObject("oauth2_install_params")
                .put("permissions", "0")
                .putArray("scopes")
                .add("applications.commands")
                .add("bot");
        o.set("bot", EntityJson.user(world.bot()));
        o.set(
                "owner",
                EntityJson.user(world.user(
                                world.guilds().isEmpty()
                                        ? world.bot().id()
                                        : world.guilds().iterator().next().ownerId())
                        .orElse(world.bot())));
        o.putArray("tags");
        o.putArray("redirect_uris");
        return o;
    }

    private Object createMessage(ApiRequest req) throws JsonProcessingException {
        SimChannel channel = channel(req);
        if (!channel.type().isText()) {
            throw new DiscordApiException(400, 50008, "Cannot send messages in a non-text channel");
        }
        JsonNode body = req.json();
        MessageBodies.validateCreate(body);
        ObjectNode message = EntityJson.message(Snowflake.next(), channel, world.bot(), Instant.now(), 0);
        MessageBodies.apply(message, body);
        if (body.hasNonNull("nonce")) {
            message.set("nonce", body.get("nonce"));
        }
        world.guild(channel.guildId())
                .flatMap(g -> g.member(world.bot().id()))
                .ifPresent(m -> message.set("member", EntityJson.member(m, false)));
        long id = Long.parseUnsignedLong(message.get("id").asText());
        messages.add(new PostedMessage(
                id,
                channel.id(),
                world.bot().id(),
                message.path("content").asText(""),
                PostedMessage.Source.BOT_REST,
                Instant.now(),
                message.deepCopy()));
        // Discord echoes the bot's own message to its sessions (with the GUILD_MESSAGES intent).
        dispatcher.toGuild(channel.guildId(), "MESSAGE_CREATE", message);
        return message;
    }

    private SimChannel channel(ApiRequest req) {
        return world.channel(req.snowflake("channel")).orElseThrow(DiscordApiException::unknownChannel);
    }

    /** Global scope (null) after checking the path's application is ours. */
    private Long appScope(ApiRequest req) {
        if (req.snowflake("app") != world.applicationId()) {
            throw DiscordApiException.missingAccess();
        }
        return null;
    }

    private Long guildScope(ApiRequest req) {
        appScope(req);
        long guildId = req.snowflake("guild");
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

    private static int parseIntOr(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
