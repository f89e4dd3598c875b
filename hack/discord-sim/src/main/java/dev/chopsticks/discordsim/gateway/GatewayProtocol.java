package dev.chopsticks.discordsim.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.discordsim.identify.BotToken;
import dev.chopsticks.discordsim.identify.IdentifyGate;
import dev.chopsticks.discordsim.identify.IdentifyViolation;
import dev.chopsticks.discordsim.identify.SessionStartBudget;
import dev.chopsticks.discordsim.json.Json;
import dev.chopsticks.discordsim.metrics.SimMetrics;
import dev.chopsticks.discordsim.world.EntityJson;
import dev.chopsticks.discordsim.world.World;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
 * The payloads it sends are in {@link GatewayPayloads}; the handlers stay in one class because every one of them
 * ends a connection through the same {@code close}/{@code release} rules for its session.
 */
public final class GatewayProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayProtocol.class);

    private final GatewaySettings settings;
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
            GatewaySettings settings,
            World world,
            SessionRegistry registry,
            IdentifyGate gate,
            SessionStartBudget budget,
            BotToken token,
            SimMetrics metrics,
            ScheduledExecutorService scheduler,
            LongSupplier clockMs,
            Supplier<String> gatewayUrl) {
        this.settings = settings;
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
        TransportCompressor transport = TransportCompressor.forQuery(compress);
        GatewayConnection c = new GatewayConnection(socket, metrics, transport, clockMs.getAsLong());
        registry.addConnection(c);
        metrics.connectionsOpened.increment();
        String v = query.get("v");
        String encoding = query.get("encoding");
        if (v != null && !v.equals("10") && !v.equals("9")) {
            c.close(CloseCode.INVALID_API_VERSION);
        } else if (encoding != null && !encoding.equals("json")) {
            c.close(CloseCode.DECODE_ERROR.code(), "Only encoding=json is simulated.");
        } else if (compress != null && transport == null) {
            c.close(CloseCode.DECODE_ERROR.code(), "Only compress=zlib-stream and zstd-stream are simulated.");
        } else {
            c.send(GatewayPayloads.hello(settings.heartbeatInterval().toMillis()));
        }
        return c;
    }

    public void onText(GatewayConnection c, String text) {
        if (!c.isOpen()) {
            return;
        }
        long now = clockMs.getAsLong();
        if (!c.countSend(now, settings.sendLimit(), settings.sendWindow().toMillis())) {
            close(c, CloseCode.RATE_LIMITED);
            return;
        }
        if (exceeds(text, settings.maxPayloadBytes())) {
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

    /**
     * A binary frame. With {@code encoding=json} Discord reads it as UTF-8 JSON, like a text frame (some clients send
     * every payload this way); anything that is not valid UTF-8 (ETF, compressed bytes) is a decode error.
     */
    public void onBinary(GatewayConnection c, ByteBuffer data) {
        if (!c.isOpen()) {
            return;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(data)
                    .toString();
        } catch (CharacterCodingException e) {
            close(c, CloseCode.DECODE_ERROR);
            return;
        }
        onText(c, text);
    }

    /** The socket is gone. A client close with 1000/1001 ends the session, as Discord documents. */
    public void onClosed(GatewayConnection c, int code) {
        registry.removeConnection(c);
        boolean byPeer = c.closedByPeer();
        if (byPeer) {
            metrics.closeReceived(code);
        }
        release(c, byPeer && (code == 1000 || code == 1001));
    }

    private void handle(GatewayConnection c, int op, JsonNode d, long now) {
        switch (op) {
            case Opcode.HEARTBEAT -> {
                c.heartbeat(now);
                c.send(GatewayPayloads.HEARTBEAT_ACK);
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
                    GuildMembersRequest.answer(world, c.session(), d);
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
        if ((intents & Intents.PRIVILEGED & ~settings.allowedPrivilegedIntents()) != 0) {
            close(c, CloseCode.DISALLOWED_INTENTS);
            return;
        }
        if (world.guildCountForShard(shardId, shardCount) > settings.maxGuildsPerShard()) {
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
            c.send(GatewayPayloads.INVALID_SESSION);
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
        GatewaySession s = new GatewaySession(shardId, shardCount, intents, settings.resumeBuffer(), metrics, clockMs);
        registry.addSession(s);
        s.attach(c);
        s.dispatch("READY", Json.write(GatewayPayloads.ready(world, s, gatewayUrl.get())));
        // Lazy-loading: every guild listed unavailable in READY follows as a GUILD_CREATE.
        for (long guildId : world.guildIdsForShard(shardId, shardCount)) {
            world.guild(guildId)
                    .ifPresent(g -> s.dispatch("GUILD_CREATE", Json.write(EntityJson.guildCreate(g, world.bot()))));
        }
    }

    /**
     * RESUME costs no session start and is not paced by the identify rule (Discord: the daily limit "does not include
     * RESUME calls"). It is accepted on any gateway connection, the successor process's included; the simulator's
     * {@code resume_gateway_url} is its gateway URL. A refused RESUME ends the session, so nothing keeps buffering
     * for it, and leaves the socket open for the IDENTIFY that Discord's docs prescribe after op 9 {@code d: false}.
     */
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
            c.send(GatewayPayloads.INVALID_SESSION);
            return;
        }
        GatewaySession s = found.get();
        GatewayConnection[] replaced = new GatewayConnection[1];
        switch (s.resume(c, lastSeq, settings.resumeTimeout().toMillis(), replaced)) {
            case RESUMED -> {
                if (replaced[0] != null) {
                    replaced[0].drop(); // a session lives on one socket: the stale one goes
                }
                metrics.resumes.increment();
                s.dispatch("RESUMED", GatewayPayloads.RESUMED);
            }
            case INVALID_SEQ -> {
                metrics.failedResumes.increment();
                endRefused(s, c);
                close(c, CloseCode.INVALID_SEQ);
            }
            case GONE -> {
                metrics.failedResumes.increment();
                endRefused(s, c);
                c.send(GatewayPayloads.INVALID_SESSION);
            }
        }
    }

    /** Ends a session a RESUME could not take over; a socket still on it learns so by op 9, as after invalidation. */
    private void endRefused(GatewaySession s, GatewayConnection resuming) {
        GatewayConnection current = registry.end(s);
        if (current != null && current != resuming) {
            current.send(GatewayPayloads.INVALID_SESSION);
        }
    }

    private void close(GatewayConnection c, CloseCode code) {
        c.close(code);
        release(c, !code.keepsSession());
    }

    /**
     * The connection is going: its session ends for good, or stays resumable without it. A session that a RESUME has
     * moved to another connection meanwhile is not this connection's to end.
     */
    private void release(GatewayConnection c, boolean endSession) {
        GatewaySession s = c.session();
        if (s == null) {
            return;
        }
        if (!endSession) {
            s.detach(c, clockMs.getAsLong());
        } else if (s.connection() == c || s.connection() == null) {
            registry.end(s);
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
            registry.sessions().forEach(registry::end);
        }
    }

    /** Heartbeat watchdog and session expiry; the simulator calls this on a short fixed delay. */
    public void tick() {
        long now = clockMs.getAsLong();
        long timeout = settings.heartbeatInterval().toMillis() * 3 / 2;
        registry.connections().removeIf(c -> !c.isOpen() && now - c.openedAtMs() > timeout);
        for (GatewayConnection c : registry.connections()) {
            if (c.isOpen() && now - c.lastHeartbeatMs() > timeout) {
                LOG.info("Connection {} missed its heartbeats: closing with 4009", c.id());
                close(c, CloseCode.SESSION_TIMED_OUT);
            }
        }
        registry.purge(now, settings.resumeTimeout().toMillis());
    }

    /** Sends op 7 RECONNECT to every connection of the shard id; closes (resumably) any still open after the grace. */
    public int reconnect(int shardId) {
        int n = 0;
        for (GatewaySession s : registry.withShardId(shardId)) {
            GatewayConnection c = s.connection();
            if (c != null && c.send(GatewayPayloads.RECONNECT)) {
                n++;
                scheduler.schedule(
                        () -> close(c, CloseCode.UNKNOWN_ERROR),
                        settings.reconnectGrace().toMillis(),
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
            GatewayConnection c = registry.end(s);
            if (c != null) {
                c.send(GatewayPayloads.INVALID_SESSION);
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
