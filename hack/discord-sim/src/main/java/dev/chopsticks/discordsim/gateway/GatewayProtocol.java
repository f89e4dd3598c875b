package dev.chopsticks.discordsim.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.identify.BotToken;
import dev.chopsticks.discordsim.identify.IdentifyGate;
import dev.chopsticks.discordsim.identify.IdentifyViolation;
import dev.chopsticks.discordsim.identify.SessionStartBudget;
import dev.chopsticks.discordsim.json.Json;
import dev.chopsticks.discordsim.metrics.SimMetrics;
import dev.chopsticks.discordsim.world.EntityJson;
import dev.chopsticks.discordsim.world.SimGuild;
import dev.chopsticks.discordsim.world.World;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway state machine: HELLO, heartbeats, IDENTIFY, RESUME and the server-initiated actions.
 * Every client mistake ends in the close code or opcode Discord documents, never in an exception.
 */
public final class GatewayProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayProtocol.class);
    private static final String TRACE = "[\"[\\\"discord-sim\\\",{\\\"micros\\\":0}]\"]";

    private final SimConfig config;
    private final World world;
    private final SessionRegistry registry;
    private final IdentifyGate gate;
    private final SessionStartBudget budget;
    private final BotToken token;
    private final SimMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clockMs;
    private final Supplier<String> gatewayUrl;

    public GatewayProtocol(
            SimConfig config,
            World world,
            SessionRegistry registry,
            IdentifyGate gate,
            SessionStartBudget budget,
            BotToken token,
            SimMetrics metrics,
            ScheduledExecutorService scheduler,
            LongSupplier clockMs,
            Supplier<String> gatewayUrl) {
        this.config = config;
        this.world = world;
        this.registry = registry;
        this.gate = gate;
        this.budget = budget;
        this.token = token;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.clockMs = clockMs;
        this.gatewayUrl = gatewayUrl;
    }

    /** A socket opened: check the query string, then say HELLO. */
    public GatewayConnection open(GatewaySocket socket, Map<String, String> query) {
        String compress = query.get("compress");
        GatewayConnection c =
                new GatewayConnection(socket, metrics, "zlib-stream".equals(compress), clockMs.getAsLong());
        registry.addConnection(c);
        metrics.connectionsOpened.increment();
        String v = query.get("v");
        String encoding = query.get("encoding");
        if (v != null && !v.equals("10") && !v.equals("9")) {
            c.close(CloseCode.INVALID_API_VERSION);
        } else if (encoding != null && !encoding.equals("json")) {
            c.close(CloseCode.DECODE_ERROR.code(), "Only encoding=json is simulated.");
        } else if (compress != null && !compress.equals("zlib-stream")) {
            c.close(CloseCode.DECODE_ERROR.code(), "Only compress=zlib-stream is simulated.");
        } else {
            c.send("{\"op\":10,\"s\":null,\"t\":null,\"d\":{\"heartbeat_interval\":"
                    + config.heartbeatInterval().toMillis() + ",\"_trace\":" + TRACE + "}}");
        }
        return c;
    }

    public void onText(GatewayConnection c, String text) {
        if (!c.isOpen()) {
            return;
        }
        long now = clockMs.getAsLong();
        if (!c.countSend(
                now, config.gatewaySendLimit(), config.gatewaySendWindow().toMillis())) {
            close(c, CloseCode.RATE_LIMITED);
            return;
        }
        if (exceeds(text, config.maxPayloadBytes())) {
            close(c, CloseCode.DECODE_ERROR);
            return;
        }
        JsonNode payload;
        try {
            payload = Json.parse(text);
        } catch (JsonProcessingException e) {
            close(c, CloseCode.DECODE_ERROR);
            return;
        }
        JsonNode op = payload == null ? null : payload.get("op");
        if (op == null || !payload.isObject() || !op.isIntegralNumber()) {
            close(c, CloseCode.DECODE_ERROR);
            return;
        }
        JsonNode d = payload.path("d");
        try {
            handle(c, op.asInt(), d, now);
        } catch (RuntimeException e) {
            // A bug here must not take the server down; the client sees Discord's "unknown error".
            LOG.warn("Gateway handler failed on connection {}", c.id(), e);
            close(c, CloseCode.UNKNOWN_ERROR);
        }
    }

    /** Binary frames are ETF or compressed payloads, neither of which this JSON gateway accepts. */
    public void onBinary(GatewayConnection c) {
        if (c.isOpen()) {
            close(c, CloseCode.DECODE_ERROR);
        }
    }

    /** The socket is gone. A client close with 1000/1001 ends the session, as Discord documents. */
    public void onClosed(GatewayConnection c, int code) {
        registry.removeConnection(c);
        boolean byPeer = c.closedByPeer();
        if (byPeer) {
            metrics.closeReceived(code);
        }
        GatewaySession s = c.session();
        if (s == null) {
            return;
        }
        if (byPeer && (code == 1000 || code == 1001)) {
            if (s.connection() == c || s.connection() == null) {
                s.invalidate();
                registry.removeSession(s);
            }
        } else {
            s.detach(c, clockMs.getAsLong());
        }
    }

    private void handle(GatewayConnection c, int op, JsonNode d, long now) {
        switch (op) {
            case Opcode.HEARTBEAT -> {
                c.heartbeat(now);
                c.send("{\"op\":11,\"s\":null,\"t\":null,\"d\":null}");
            }
            case Opcode.IDENTIFY -> {
                if (authenticated(c)) {
                    close(c, CloseCode.ALREADY_AUTHENTICATED);
                } else {
                    identify(c, d);
                }
            }
            case Opcode.RESUME -> {
                if (authenticated(c)) {
                    close(c, CloseCode.ALREADY_AUTHENTICATED);
                } else {
                    resume(c, d);
                }
            }
            case Opcode.PRESENCE_UPDATE, Opcode.VOICE_STATE_UPDATE, Opcode.REQUEST_SOUNDBOARD_SOUNDS -> {
                if (!authenticated(c)) {
                    close(c, CloseCode.NOT_AUTHENTICATED);
                }
            }
            case Opcode.REQUEST_GUILD_MEMBERS -> {
                if (!authenticated(c)) {
                    close(c, CloseCode.NOT_AUTHENTICATED);
                } else {
                    requestGuildMembers(c.session(), d);
                }
            }
            default -> close(c, CloseCode.UNKNOWN_OPCODE);
        }
    }

    private static boolean authenticated(GatewayConnection c) {
        GatewaySession s = c.session();
        return s != null && !s.invalidated() && s.connection() == c;
    }

    private void identify(GatewayConnection c, JsonNode d) {
        if (!d.isObject()
                || !d.path("token").isTextual()
                || !d.path("properties").isObject()) {
            close(c, CloseCode.DECODE_ERROR);
            return;
        }
        if (!token.accepts(d.get("token").asText())) {
            close(c, CloseCode.AUTHENTICATION_FAILED);
            return;
        }
        int shardId = 0;
        int shardCount = 1;
        JsonNode shard = d.get("shard");
        if (shard != null && !shard.isNull()) {
            if (!shard.isArray()
                    || shard.size() != 2
                    || !shard.get(0).isIntegralNumber()
                    || !shard.get(1).isIntegralNumber()) {
                close(c, CloseCode.INVALID_SHARD);
                return;
            }
            shardId = shard.get(0).asInt();
            shardCount = shard.get(1).asInt();
            if (shardCount < 1 || shardId < 0 || shardId >= shardCount) {
                close(c, CloseCode.INVALID_SHARD);
                return;
            }
        }
        JsonNode intentsNode = d.get("intents");
        if (intentsNode == null
                || !intentsNode.isIntegralNumber()
                || intentsNode.asLong() < 0
                || (intentsNode.asLong() & ~Intents.KNOWN_MASK) != 0) {
            close(c, CloseCode.INVALID_INTENTS);
            return;
        }
        int intents = (int) intentsNode.asLong();
        if ((intents & Intents.PRIVILEGED & ~config.allowedPrivilegedIntents()) != 0) {
            close(c, CloseCode.DISALLOWED_INTENTS);
            return;
        }
        if (world.guildCountForShard(shardId, shardCount) > config.maxGuildsPerShard()) {
            close(c, CloseCode.SHARDING_REQUIRED);
            return;
        }
        if (budget.exhausted()) {
            budget.recordExhaustion();
            resetToken();
            return;
        }
        Optional<IdentifyViolation> violation = gate.attempt(shardId, shardCount);
        if (violation.isPresent()) {
            // Discord answers an identify that breaks max_concurrency with INVALID_SESSION (d: false);
            // the client may identify again once its bucket's window has passed.
            LOG.info("Identify violation: {}", violation.get());
            c.send(invalidSession());
            return;
        }
        if (!budget.tryConsume()) {
            resetToken();
            return;
        }
        if (d.path("compress").asBoolean(false)) {
            c.enablePayloadCompression();
        }
        metrics.identifies.increment();
        GatewaySession s = new GatewaySession(shardId, shardCount, intents, config.resumeBuffer(), metrics);
        registry.addSession(s);
        s.attach(c);
        s.dispatch("READY", Json.write(ready(s)));
        // Lazy-loading: every guild listed unavailable in READY follows as a GUILD_CREATE.
        for (long guildId : world.guildIdsForShard(shardId, shardCount)) {
            world.guild(guildId)
                    .ifPresent(g -> s.dispatch("GUILD_CREATE", Json.write(EntityJson.guildCreate(g, world.bot()))));
        }
    }

    private ObjectNode ready(GatewaySession s) {
        ObjectNode d = Json.object().put("v", 10);
        d.putObject("user_settings");
        d.set("user", EntityJson.selfUser(world.bot()));
        d.put("session_type", "normal");
        d.put("session_id", s.id());
        d.put("resume_gateway_url", gatewayUrl.get());
        d.putArray("relationships");
        d.putArray("private_channels");
        d.putArray("presences");
        ArrayNode guilds = d.putArray("guilds");
        for (long guildId : world.guildIdsForShard(s.shardId(), s.shardCount())) {
            guilds.add(EntityJson.unavailableGuild(guildId));
        }
        d.putArray("guild_join_requests");
        d.putArray("geo_ordered_rtc_regions").add("simulated");
        d.putObject("auth");
        d.putObject("application")
                .put("id", EntityJson.id(world.applicationId()))
                .put("flags", 0);
        d.putArray("shard").add(s.shardId()).add(s.shardCount());
        d.putArray("_trace").add("[\"discord-sim\",{\"micros\":0}]");
        return d;
    }

    private void resume(GatewayConnection c, JsonNode d) {
        if (!d.isObject()
                || !d.path("token").isTextual()
                || !d.path("session_id").isTextual()
                || !(d.path("seq").isIntegralNumber() || d.path("seq").isNull())) {
            close(c, CloseCode.DECODE_ERROR);
            return;
        }
        if (!token.accepts(d.get("token").asText())) {
            close(c, CloseCode.AUTHENTICATION_FAILED);
            return;
        }
        long lastSeq = d.path("seq").asLong(0);
        Optional<GatewaySession> found = registry.session(d.get("session_id").asText());
        if (found.isEmpty()) {
            metrics.failedResumes.increment();
            c.send(invalidSession());
            return;
        }
        GatewaySession s = found.get();
        GatewayConnection[] replaced = new GatewayConnection[1];
        switch (s.resume(c, lastSeq, replaced)) {
            case RESUMED -> {
                if (replaced[0] != null) {
                    replaced[0].drop(); // a session lives on one socket: the stale one goes
                }
                metrics.resumes.increment();
                s.dispatch("RESUMED", "{\"_trace\":" + TRACE + "}");
            }
            case INVALID_SEQ -> {
                metrics.failedResumes.increment();
                close(c, CloseCode.INVALID_SEQ);
            }
            case GONE -> {
                metrics.failedResumes.increment();
                c.send(invalidSession());
            }
        }
    }

    private void requestGuildMembers(GatewaySession s, JsonNode d) {
        JsonNode ids = d.path("guild_id");
        List<JsonNode> guildIds = new ArrayList<>();
        if (ids.isArray()) {
            ids.forEach(guildIds::add);
        } else {
            guildIds.add(ids);
        }
        for (JsonNode idNode : guildIds) {
            long guildId;
            try {
                guildId = Long.parseUnsignedLong(idNode.asText());
            } catch (NumberFormatException e) {
                continue;
            }
            Optional<SimGuild> guild = world.guild(guildId).filter(g -> s.holdsGuild(g.id()));
            if (guild.isEmpty()) {
                continue;
            }
            ObjectNode chunk = Json.object()
                    .put("guild_id", EntityJson.id(guildId))
                    .put("chunk_index", 0)
                    .put("chunk_count", 1);
            ArrayNode members = chunk.putArray("members");
            String query = d.path("query").asText("");
            guild.get().members().stream()
                    .filter(m -> m.user().username().startsWith(query))
                    .filter(m -> !d.path("user_ids").isArray()
                            || containsId(d.get("user_ids"), m.user().id()))
                    .forEach(m -> members.add(EntityJson.member(m, true)));
            chunk.putArray("not_found");
            if (d.hasNonNull("nonce")) {
                chunk.put("nonce", d.get("nonce").asText());
            }
            s.dispatch("GUILD_MEMBERS_CHUNK", Json.write(chunk));
        }
    }

    private static boolean containsId(JsonNode ids, long id) {
        for (JsonNode n : ids) {
            if (n.asText().equals(Long.toUnsignedString(id))) {
                return true;
            }
        }
        return false;
    }

    private void close(GatewayConnection c, CloseCode code) {
        c.close(code);
        GatewaySession s = c.session();
        if (s != null && !code.keepsSession()) {
            if (s.connection() == c || s.connection() == null) {
                s.invalidate();
                registry.removeSession(s);
            }
        } else if (s != null) {
            s.detach(c, clockMs.getAsLong());
        }
    }

    /** Budget exhausted: Discord resets the token and terminates every session of the bot. */
    private void resetToken() {
        LOG.warn("Session start budget exhausted: resetting the token and closing every session with 4004");
        token.revoke();
        closeAll(CloseCode.AUTHENTICATION_FAILED);
    }

    public void closeAll(CloseCode code) {
        for (GatewayConnection c : registry.connections()) {
            close(c, code);
        }
        if (!code.keepsSession()) {
            for (GatewaySession s : registry.sessions()) {
                s.invalidate();
                registry.removeSession(s);
            }
        }
    }

    private static String invalidSession() {
        return "{\"op\":9,\"s\":null,\"t\":null,\"d\":false}";
    }

    /** Heartbeat watchdog and session expiry; the simulator calls this on a short fixed delay. */
    public void tick() {
        long now = clockMs.getAsLong();
        long timeout = config.heartbeatInterval().toMillis() * 3 / 2;
        registry.connections().removeIf(c -> !c.isOpen() && now - c.openedAtMs() > timeout);
        for (GatewayConnection c : registry.connections()) {
            if (c.isOpen() && now - c.lastHeartbeatMs() > timeout) {
                LOG.info("Connection {} missed its heartbeats: closing with 4009", c.id());
                close(c, CloseCode.SESSION_TIMED_OUT);
            }
        }
        registry.purge(now, config.resumeTimeout().toMillis());
    }

    /** Sends op 7 RECONNECT to every connection of the shard id; closes (resumably) any still open after the grace. */
    public int reconnect(int shardId) {
        int n = 0;
        for (GatewaySession s : registry.withShardId(shardId)) {
            GatewayConnection c = s.connection();
            if (c != null && c.send("{\"op\":7,\"s\":null,\"t\":null,\"d\":null}")) {
                n++;
                scheduler.schedule(
                        () -> close(c, CloseCode.UNKNOWN_ERROR),
                        config.reconnectGrace().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
        return n;
    }

    /** Cuts the shard's sockets without a close frame; the sessions stay resumable. */
    public int drop(int shardId) {
        int n = 0;
        for (GatewaySession s : registry.withShardId(shardId)) {
            GatewayConnection c = s.connection();
            if (c != null && c.drop()) {
                s.detach(c, clockMs.getAsLong());
                n++;
            }
        }
        return n;
    }

    /** Invalidates the shard's sessions: op 9 (d: false), so the client must identify again. */
    public int invalidate(int shardId) {
        int n = 0;
        for (GatewaySession s : registry.withShardId(shardId)) {
            GatewayConnection c = s.invalidate();
            registry.removeSession(s);
            if (c != null) {
                c.send(invalidSession());
            }
            n++;
        }
        return n;
    }

    /** UTF-8 size check without encoding the common, obviously small or obviously large, cases. */
    private static boolean exceeds(String s, int maxBytes) {
        if (s.length() > maxBytes) {
            return true;
        }
        return s.length() * 3 > maxBytes && s.getBytes(StandardCharsets.UTF_8).length > maxBytes;
    }
}
