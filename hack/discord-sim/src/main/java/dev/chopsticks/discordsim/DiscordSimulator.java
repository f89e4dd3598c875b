package dev.chopsticks.discordsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.commands.CommandStore;
import dev.chopsticks.discordsim.control.ControlApi;
import dev.chopsticks.discordsim.control.DiscordSimClient;
import dev.chopsticks.discordsim.control.SimControl;
import dev.chopsticks.discordsim.control.WorldInfo;
import dev.chopsticks.discordsim.gateway.Dispatcher;
import dev.chopsticks.discordsim.gateway.GatewayEndpoint;
import dev.chopsticks.discordsim.gateway.GatewayProtocol;
import dev.chopsticks.discordsim.gateway.SessionRegistry;
import dev.chopsticks.discordsim.http.DiscordHttpApi;
import dev.chopsticks.discordsim.http.JettyApiHandler;
import dev.chopsticks.discordsim.http.RateLimiter;
import dev.chopsticks.discordsim.identify.BotToken;
import dev.chopsticks.discordsim.identify.IdentifyGate;
import dev.chopsticks.discordsim.identify.SessionStartBudget;
import dev.chopsticks.discordsim.interaction.InteractionOutcome;
import dev.chopsticks.discordsim.interaction.InteractionRef;
import dev.chopsticks.discordsim.interaction.InteractionRegistry;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.discordsim.json.Json;
import dev.chopsticks.discordsim.metrics.SimMetrics;
import dev.chopsticks.discordsim.metrics.SimStats;
import dev.chopsticks.discordsim.world.EntityJson;
import dev.chopsticks.discordsim.world.MessageStore;
import dev.chopsticks.discordsim.world.PostedMessage;
import dev.chopsticks.discordsim.world.SimGuild;
import dev.chopsticks.discordsim.world.SimMember;
import dev.chopsticks.discordsim.world.World;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Discord simulator: gateway WebSocket, HTTP API and the {@code /_sim} control API on one port.
 *
 * <pre>{@code
 * try (DiscordSimulator sim = DiscordSimulator.builder().guilds(100).start()) {
 *     // point the bot at sim.restBaseUrl() and sim.gatewayUrl() with token sim.token()
 *     InteractionOutcome reply = sim.invoke(SlashCommand.of("ping", guildId), Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class DiscordSimulator implements SimControl, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiscordSimulator.class);

    private final SimConfig config;
    private final World world;
    private final SimMetrics metrics = new SimMetrics();
    private final SessionRegistry registry = new SessionRegistry();
    private final Dispatcher dispatcher = new Dispatcher(registry);
    private final BotToken token;
    private final IdentifyGate gate;
    private final SessionStartBudget budget;
    private final CommandStore commands;
    private final MessageStore messages = new MessageStore();
    private final InteractionRegistry interactions;
    private final RateLimiter limiter;
    private final GatewayProtocol gateway;
    private final ScheduledExecutorService scheduler;
    private final Javalin server;
    private volatile String httpUrl;

    private DiscordSimulator(SimConfig config) {
        this.config = config;
        this.world = new World(config.world());
        this.token = new BotToken(config.token());
        this.gate = new IdentifyGate(
                config.maxConcurrency(), config.identifyWindow().toMillis(), System::currentTimeMillis);
        this.budget = new SessionStartBudget(config.sessionStartTotal(), System::currentTimeMillis);
        this.commands = new CommandStore(world.applicationId());
        this.interactions = new InteractionRegistry(
                config.interactionAckDeadline(),
                config.interactionTokenLifetime(),
                world,
                commands,
                dispatcher,
                messages,
                metrics,
                System::nanoTime);
        this.limiter = new RateLimiter(
                config.globalRateLimit(),
                config.routeRateLimit(),
                config.routeRateWindow().toMillis(),
                System::currentTimeMillis);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "discord-sim-ticker");
            t.setDaemon(true);
            return t;
        });
        this.gateway = new GatewayProtocol(
                config.gatewaySettings(),
                world,
                registry,
                gate,
                budget,
                token,
                metrics,
                scheduler,
                System::currentTimeMillis,
                this::gatewayUrl);
        DiscordHttpApi api = new DiscordHttpApi(
                world,
                token,
                limiter,
                commands,
                interactions,
                messages,
                dispatcher,
                budget,
                gate,
                metrics,
                this::gatewayUrl);
        GatewayEndpoint endpoint = new GatewayEndpoint(gateway);
        ControlApi control = new ControlApi(this);
        long idleMs = Math.max(120_000, config.heartbeatInterval().toMillis() * 3);
        this.server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            cfg.jetty.modifyWebSocketServletFactory(f -> {
                // The heartbeat watchdog decides when a silent socket dies, not Jetty's idle timer.
                f.setIdleTimeout(Duration.ofMillis(idleMs));
                // Oversized payloads must reach the protocol so it can answer 4002 like Discord.
                f.setMaxTextMessageSize(1 << 20);
                f.setMaxBinaryMessageSize(1 << 20);
            });
            // The Discord API is served by a core Jetty handler in front of Javalin (see JettyApiHandler).
            cfg.jetty.modifyServer(server -> server.setHandler(new JettyApiHandler(api)));
            cfg.routes.ws("/", endpoint::configure);
            control.register(cfg);
        });
    }

    public static SimConfig.Builder builder() {
        return SimConfig.builder();
    }

    public static DiscordSimulator start(SimConfig config) {
        DiscordSimulator sim = new DiscordSimulator(config);
        sim.server.start();
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        sim.httpUrl = config.publicUrl() != null
                ? stripSlash(config.publicUrl())
                : "http://" + host + ":" + sim.server.port();
        long tick = Math.max(10, Math.min(1_000, config.heartbeatInterval().toMillis() / 4));
        sim.scheduler.scheduleWithFixedDelay(sim::tick, tick, tick, TimeUnit.MILLISECONDS);
        sim.scheduler.scheduleWithFixedDelay(sim::purge, 5, 5, TimeUnit.SECONDS);
        LOG.info(
                "Discord simulator listening on {} ({} guilds, gateway {})",
                sim.httpUrl,
                sim.world.guildCount(),
                sim.gatewayUrl());
        return sim;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private void tick() {
        try {
            gateway.tick();
        } catch (RuntimeException e) {
            LOG.warn("Gateway tick failed", e);
        }
    }

    private void purge() {
        try {
            interactions.purge();
            limiter.purge();
        } catch (RuntimeException e) {
            LOG.warn("Purge failed", e);
        }
    }

    public SimConfig config() {
        return config;
    }

    public World world() {
        return world;
    }

    public int port() {
        return server.port();
    }

    public String token() {
        return config.token();
    }

    /** e.g. {@code http://127.0.0.1:8090} */
    public String httpUrl() {
        return httpUrl;
    }

    /** Base URL for a Discord library's REST client, e.g. {@code http://127.0.0.1:8090/api/v10/}. */
    public String restBaseUrl() {
        return httpUrl + "/api/v10/";
    }

    /** Gateway URL as {@code GET /gateway/bot} reports it, e.g. {@code ws://127.0.0.1:8090}. */
    public String gatewayUrl() {
        return httpUrl.replaceFirst("^http", "ws");
    }

    /** An HTTP control client for this simulator (what an out-of-process test would use). */
    public DiscordSimClient client() {
        return new DiscordSimClient(httpUrl);
    }

    @Override
    public WorldInfo worldInfo() {
        return new WorldInfo(
                world.applicationId(),
                world.bot().id(),
                world.bot().username(),
                world.guildCount(),
                httpUrl,
                restBaseUrl(),
                gatewayUrl());
    }

    @Override
    public InteractionRef injectSlashCommand(SlashCommand command) {
        return interactions.inject(command);
    }

    @Override
    public InteractionOutcome awaitReply(long interactionId, Duration timeout) {
        CompletableFuture<InteractionOutcome> future = replyFuture(interactionId);
        try {
            InteractionOutcome completed = future.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
            // Later follow-ups may have arrived since completion: report the latest state.
            return interactions.snapshot(interactionId).orElse(completed);
        } catch (TimeoutException e) {
            return interactions.snapshot(interactionId).orElseThrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return interactions.snapshot(interactionId).orElseThrow();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Non-blocking variant of {@link #awaitReply}: completes with the final reply. */
    public CompletableFuture<InteractionOutcome> replyFuture(long interactionId) {
        return interactions
                .outcome(interactionId)
                .orElseThrow(() ->
                        new IllegalArgumentException("Unknown interaction " + Long.toUnsignedString(interactionId)));
    }

    @Override
    public long addGuild(String name) {
        SimGuild guild = world.addGuild(name);
        dispatcher.toGuild(guild.id(), "GUILD_CREATE", EntityJson.guildCreate(guild, world.bot()));
        return guild.id();
    }

    @Override
    public boolean removeGuild(long guildId) {
        if (world.removeGuild(guildId).isEmpty()) {
            return false;
        }
        // No "unavailable" field: the bot was removed, not an outage.
        dispatcher.toGuild(guildId, "GUILD_DELETE", Json.object().put("id", EntityJson.id(guildId)));
        return true;
    }

    @Override
    public long addMember(long guildId, String username) {
        SimMember member = world.addMember(guildId, username)
                .orElseThrow(() -> new IllegalArgumentException("Unknown guild " + Long.toUnsignedString(guildId)));
        ObjectNode d = EntityJson.member(member, true).put("guild_id", EntityJson.id(guildId));
        dispatcher.toGuild(guildId, "GUILD_MEMBER_ADD", d);
        return member.user().id();
    }

    @Override
    public int dispatch(long guildId, String event, JsonNode data) {
        return dispatcher.toGuild(guildId, event, data);
    }

    @Override
    public int forceReconnect(int shardId) {
        return gateway.reconnect(shardId);
    }

    @Override
    public int dropConnection(int shardId) {
        return gateway.drop(shardId);
    }

    @Override
    public int invalidateSession(int shardId) {
        return gateway.invalidate(shardId);
    }

    @Override
    public SimStats stats() {
        return new SimStats(
                registry.connectionsPerShard(),
                registry.openConnections(),
                metrics.connectionsOpened.sum(),
                metrics.identifies.sum(),
                metrics.resumes.sum(),
                metrics.failedResumes.sum(),
                registry.resumableSessions(),
                gate.stats(),
                budget.snapshot(gate.maxConcurrency()),
                budget.exhaustions(),
                metrics.closeCodes(),
                metrics.closeCodesReceived(),
                metrics.eventsSent.sum(),
                metrics.dispatchesReplayed.sum(),
                metrics.maxDispatchWaitMs(),
                metrics.interactionsInjected.sum(),
                metrics.interactionsAnswered.sum(),
                metrics.duplicateAcknowledgements.sum(),
                metrics.lateAcknowledgements.sum(),
                metrics.latency(),
                metrics.httpRequests.sum(),
                metrics.httpRateLimited.sum(),
                commands.overwriteCount());
    }

    @Override
    public void resetStats() {
        metrics.reset();
        gate.reset();
    }

    @Override
    public List<JsonNode> commands(Long guildId) {
        return List.copyOf(commands.list(guildId));
    }

    @Override
    public List<PostedMessage> messages(long channelId) {
        return messages.inChannel(channelId);
    }

    @Override
    public List<Long> guildIdsForShard(int shardId, int shardCount) {
        return world.guildIdsForShard(shardId, shardCount);
    }

    @Override
    public void setSessionStartLimit(int total, int remaining) {
        budget.set(total, remaining);
        if (remaining > 0) {
            token.restore();
        }
    }

    @Override
    public void setIdentifyRule(int maxConcurrency, Duration window) {
        gate.configure(maxConcurrency, window.toMillis());
    }

    /** Changes the HTTP limits at runtime (global per second, per-route per window). */
    public void setRateLimits(int globalPerSecond, int routeLimit, Duration routeWindow) {
        limiter.configure(globalPerSecond, routeLimit, routeWindow.toMillis());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        server.stop();
    }
}
