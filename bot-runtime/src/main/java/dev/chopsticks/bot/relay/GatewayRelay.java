package dev.chopsticks.bot.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chopsticks.bot.concurrent.DaemonThreads;
import dev.chopsticks.bot.identify.IdentifyEvents;
import dev.chopsticks.bot.identify.ResumableSessions;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's gateway relay: a WebSocket server on loopback that JDA uses as its gateway, one {@link ShardRelay}
 * per shard behind it, and a save loop that keeps each shard's session in the {@link SessionStore} so the next
 * process resumes instead of identifying. JDA stays unmodified; see docs/design/session-handoff.md.
 */
public final class GatewayRelay implements ResumableSessions, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayRelay.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often changed sessions are saved: what a SIGKILL can cost is this much replay, never a lost session. */
    static final Duration SAVE_EVERY = Duration.ofMillis(100);
    /** The last saves at shutdown: a few Redis writes per shard. */
    private static final Duration HAND_OFF_WAIT = Duration.ofSeconds(5);

    private static final String HELLO = "{\"op\":10,\"s\":null,\"t\":null,\"d\":{\"heartbeat_interval\":41250}}";
    private static final String RELAY_KEY = "chopsticks.relay";

    private final int shardCount;
    private final Javalin server;
    private final RelayContext ctx;
    private final ScheduledExecutorService scheduler;
    /** Saves on their own thread: a slow Redis must never hold a heartbeat (Discord closes late ones with 4009). */
    private final ScheduledExecutorService saver =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("gateway-relay-save"));

    private final Map<Integer, ShardRelay> relays;

    private GatewayRelay(
            int shardCount,
            Javalin server,
            RelayContext ctx,
            ScheduledExecutorService scheduler,
            Map<Integer, ShardRelay> relays) {
        this.shardCount = shardCount;
        this.server = server;
        this.ctx = ctx;
        this.scheduler = scheduler;
        this.relays = relays;
    }

    /**
     * @param gatewayUrl   Discord's gateway (or the simulator's)
     * @param stores       the hand-off store; asked lazily, so Redis may still be connecting at start
     * @param resumeWindow how long a saved session is worth resuming
     * @param role         this process's shard generation: whether it may take saved sessions over
     */
    public static GatewayRelay start(
            String token,
            String gatewayUrl,
            int shardCount,
            Supplier<SessionStore> stores,
            Duration resumeWindow,
            RelayMetrics metrics,
            IdentifyEvents events,
            GenerationRole role) {
        ScheduledExecutorService scheduler =
                Executors.newScheduledThreadPool(1, DaemonThreads.factory("gateway-relay"));
        Map<Integer, ShardRelay> relays = new ConcurrentHashMap<>();
        RelayContext[] context = new RelayContext[1];
        Javalin server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.modifyWebSocketServletFactory(f -> {
                // JDA heartbeats every ~41 s; a whole guild list can be one large frame.
                f.setIdleTimeout(Duration.ofMinutes(5));
                f.setMaxTextMessageSize(64L * 1024 * 1024);
            });
            config.routes.ws("/", ws -> {
                ws.onConnect(c -> c.send(HELLO));
                ws.onMessage(c -> onJdaFrame(c, c.message(), relays, shardCount, context[0]));
                ws.onClose(c -> {
                    ShardRelay r = c.attribute(RELAY_KEY);
                    if (r != null) {
                        r.onDownstreamClosed(down(c));
                    }
                });
            });
        });
        server.start("127.0.0.1", 0);
        String relayUrl = "ws://127.0.0.1:" + server.port() + "/";
        context[0] = new RelayContext(
                stores,
                token,
                gatewayUrl,
                relayUrl,
                resumeWindow,
                scheduler,
                Executors.newCachedThreadPool(DaemonThreads.factory("gateway-relay-takeover")),
                metrics,
                events,
                role);
        GatewayRelay relay = new GatewayRelay(shardCount, server, context[0], scheduler, relays);
        relay.saver.scheduleWithFixedDelay(
                relay::persistAll, SAVE_EVERY.toMillis(), SAVE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        role.onChange(relay::roleChanged);
        log.info(
                "gateway relay on {} for {} shards (resume window {} s)",
                relayUrl,
                shardCount,
                resumeWindow.toSeconds());
        return relay;
    }

    /** The URL JDA connects to. */
    public String url() {
        return ctx.relayUrl();
    }

    private static void onJdaFrame(
            WsContext c, String message, Map<Integer, ShardRelay> relays, int shardCount, RelayContext ctx) {
        JsonNode frame;
        try {
            frame = JSON.readTree(message);
        } catch (Exception e) {
            c.closeSession(4002, "decode error");
            return;
        }
        int op = frame.path("op").asInt(-1);
        ShardRelay bound = c.attribute(RELAY_KEY);
        if (op == 2) {
            JsonNode shard = frame.path("d").path("shard");
            int id = shard.path(0).asInt(-1);
            if (id < 0 || shard.path(1).asInt(-1) != shardCount) {
                c.closeSession(4010, "invalid shard");
                return;
            }
            ShardRelay relay = relays.computeIfAbsent(id, i -> new ShardRelay(i, shardCount, ctx));
            c.attribute(RELAY_KEY, relay);
            relay.onDownstreamIdentify(down(c), message);
        } else if (op == 6) {
            String session = frame.path("d").path("session_id").asText();
            ShardRelay relay = relays.values().stream()
                    .filter(r -> r.holds(session))
                    .findFirst()
                    .orElse(null);
            if (relay == null) {
                c.send(ShardRelay.INVALID_SESSION);
                return;
            }
            c.attribute(RELAY_KEY, relay);
            relay.onDownstreamResume(down(c));
        } else if (bound != null) {
            bound.onDownstreamFrame(down(c), op, message);
        } else if (op == 1) {
            c.send(ShardRelay.HEARTBEAT_ACK);
        }
    }

    /** One Downstream per JDA socket, kept on the socket so identity comparisons hold. */
    private static Downstream down(WsContext c) {
        Downstream d = c.attribute("chopsticks.down");
        if (d == null) {
            d = new Downstream() {
                @Override
                public void send(String json) {
                    c.send(json);
                }

                @Override
                public void close(int code, String reason) {
                    c.closeSession(code, reason);
                }
            };
            c.attribute("chopsticks.down", d);
        }
        return d;
    }

    @Override
    public boolean canResume(int shardId) {
        ShardRelay relay = relays.computeIfAbsent(shardId, i -> new ShardRelay(i, shardCount, ctx));
        return relay.canSkipIdentify();
    }

    private void persistAll() {
        for (ShardRelay r : relays.values()) {
            try {
                r.persist();
            } catch (RuntimeException e) {
                log.debug("shard {}: save failed", r.shardId(), e);
            }
        }
    }

    /**
     * The generation switched. Active: waiting shards take their sessions over. Handing over: the sessions go to the
     * active generation now. On the save thread, so no periodic save of a session lands after its release.
     */
    private void roleChanged() {
        try {
            saver.execute(() -> {
                if (ctx.role().active()) {
                    relays.values().forEach(ShardRelay::onActivated);
                } else if (ctx.role().handsOver()) {
                    relays.values().forEach(ShardRelay::release);
                    log.info("gateway relay: {} sessions handed over to the active generation", relays.size());
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("gateway relay stopped: generation change ignored");
        }
    }

    /**
     * Hands every session over: called after JDA stopped taking events and before the process exits. The sessions
     * stay resumable on Discord for the resume window. On the save thread, after any save under way.
     */
    public void handOff() {
        try {
            saver.submit(() -> relays.values().forEach(ShardRelay::handOff))
                    .get(HAND_OFF_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("gateway relay: {} sessions saved for the next process", relays.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            log.warn("gateway relay: sessions not all saved at shutdown ({})", e.toString());
        } finally {
            saver.shutdownNow();
        }
    }

    @Override
    public void close() {
        saver.shutdownNow();
        scheduler.shutdownNow();
        ctx.takeovers().shutdownNow();
        server.stop();
    }
}
