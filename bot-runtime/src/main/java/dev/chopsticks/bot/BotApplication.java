package dev.chopsticks.bot;

import dev.chopsticks.bot.cache.CacheStats;
import dev.chopsticks.bot.cache.RedisConnector;
import dev.chopsticks.bot.commands.CommandDefinitions;
import dev.chopsticks.bot.commands.CommandDispatcher;
import dev.chopsticks.bot.commands.CommandRegistry;
import dev.chopsticks.bot.commands.CommandUsage;
import dev.chopsticks.bot.commands.CommandUsageFlusher;
import dev.chopsticks.bot.commands.InteractionTimeoutGuard;
import dev.chopsticks.bot.commands.builtin.BotCommands;
import dev.chopsticks.bot.commands.builtin.WelcomeMessages;
import dev.chopsticks.bot.concurrent.DaemonThreads;
import dev.chopsticks.bot.config.BotConfig;
import dev.chopsticks.bot.data.DataLayer;
import dev.chopsticks.bot.discord.ActiveOnlyListener;
import dev.chopsticks.bot.discord.DeferredListener;
import dev.chopsticks.bot.discord.GenerationHandoffListener;
import dev.chopsticks.bot.discord.InteractionClaimMetrics;
import dev.chopsticks.bot.discord.InteractionClaims;
import dev.chopsticks.bot.discord.InteractionHandoff;
import dev.chopsticks.bot.discord.InteractionLatency;
import dev.chopsticks.bot.discord.JdaModLog;
import dev.chopsticks.bot.discord.RedisInteractionClaims;
import dev.chopsticks.bot.discord.SlashCommandListener;
import dev.chopsticks.bot.discord.WelcomeListener;
import dev.chopsticks.bot.external.BreakerSettings;
import dev.chopsticks.bot.external.ExternalBreakers;
import dev.chopsticks.bot.external.GithubClient;
import dev.chopsticks.bot.external.GuardedHttp;
import dev.chopsticks.bot.external.WeatherClient;
import dev.chopsticks.bot.external.WikiClient;
import dev.chopsticks.bot.gateway.Gateway;
import dev.chopsticks.bot.http.AdminToken;
import dev.chopsticks.bot.http.CachedStatus;
import dev.chopsticks.bot.http.OpsHttpServer;
import dev.chopsticks.bot.http.PeriodicCheck;
import dev.chopsticks.bot.http.Readiness;
import dev.chopsticks.bot.http.ShardStatus;
import dev.chopsticks.bot.http.StatusSources;
import dev.chopsticks.bot.identify.IdentifyEvents;
import dev.chopsticks.bot.lifecycle.ActiveGeneration;
import dev.chopsticks.bot.lifecycle.CommandRegistration;
import dev.chopsticks.bot.lifecycle.CommandsPayload;
import dev.chopsticks.bot.lifecycle.CommandsRestClient;
import dev.chopsticks.bot.lifecycle.Teardown;
import dev.chopsticks.bot.metrics.MetricsRegistry;
import dev.chopsticks.bot.relay.GenerationRole;
import dev.chopsticks.bot.shardstatus.KubernetesShardStatusWriter;
import dev.chopsticks.bot.shardstatus.LazyKubernetesClient;
import dev.chopsticks.bot.shardstatus.ShardStatusReporter;
import dev.chopsticks.bot.shardstatus.ShardStatusWriter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import net.dv8tion.jda.api.sharding.ShardManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the whole bot process: data layer, breakers, commands, gateway, Shard status and the ops HTTP server. It is
 * longer than 400 lines because it is the composition root: each start step is one method below, called in start
 * order by the constructor, and {@link #release} undoes them, so the start and the stop read in one file.
 */
public final class BotApplication implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BotApplication.class);

    /** Timings tests shorten; production uses {@link #defaults()} (the guide's values). */
    public record Tuning(
            BreakerSettings breakers, Duration guardDeadline, DataLayer.Tuning data, Duration statsFlushEvery) {
        public static Tuning defaults() {
            return new Tuning(
                    BreakerSettings.guide(),
                    InteractionTimeoutGuard.DEFAULT_DEADLINE,
                    DataLayer.Tuning.defaults(),
                    Duration.ofSeconds(10));
        }
    }

    private final BotConfig config;
    private final Tuning tuning;
    private final String hostname = System.getenv().getOrDefault("HOSTNAME", "bot");
    /** Everything the start acquired except the ops server, released by {@link #release} in reverse order. */
    private final Teardown teardown = new Teardown();

    private final PrometheusMeterRegistry meters;
    private final LazyKubernetesClient kubernetes;
    private final ShardStatusReporter shardStatus;
    private final BooleanSupplier activeGeneration;
    private final ExternalBreakers breakers;
    private final DataLayer data;
    private final CommandRegistry commands;
    private final CommandUsageFlusher flusher;
    private final OpsHttpServer http;
    private volatile Gateway gateway;
    private volatile boolean stopping;
    private volatile boolean closed;

    /**
     * The start runs in parallel: Redis connects and the gateway starts (JDA, GET /gateway/bot, the first identify)
     * while the pool, the caches, the commands and the HTTP server are built. Listeners that need the data layer are
     * attached when it is ready; events arriving before are held (DeferredListener).
     */
    private BotApplication(BotConfig config, Tuning tuning) {
        this.config = config;
        this.tuning = tuning;
        meters = MetricsRegistry.prometheus();
        ExecutorService boot = Executors.newCachedThreadPool(DaemonThreads.factory("boot"));
        CompletableFuture<Gateway> starting = null;
        try {
            CompletableFuture<Optional<RedisConnector>> redis = connectRedis(boot);
            kubernetes = teardown.add("kubernetes client", new LazyKubernetesClient());
            shardStatus = teardown.add("shard status", startShardStatus());
            activeGeneration = watchActiveGeneration();
            DeferredListener slash = new DeferredListener();
            DeferredListener welcome = new DeferredListener();
            List<Object> listeners = gatewayListeners(slash, welcome);
            starting = CompletableFuture.supplyAsync(() -> startGateway(redis, listeners), boot);
            boot.shutdown();

            breakers = teardown.add("breakers", new ExternalBreakers(tuning.breakers(), meters));
            data = teardown.add("data layer", startDataLayer(redis.join()));
            ExecutorService commandExecutor = Executors.newVirtualThreadPerTaskExecutor();
            teardown.add("command executor", commandExecutor::shutdown);
            commands = createCommands();
            CommandUsage usage = new CommandUsage();
            flusher = scheduleUsageFlush(usage);
            // Interaction timers (deferral, 2.5 s guard) on their own thread: a slow stats flush must never delay them.
            ScheduledExecutorService interactionTimers =
                    Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("interaction-timers"));
            teardown.add("interaction timers", interactionTimers::shutdownNow);
            slash.attach(slashCommandListener(usage, commandExecutor, interactionTimers));
            welcome.attach(new WelcomeListener(new WelcomeMessages(data.guildConfig()), commandExecutor));
            http = startOpsServer(teardown.add(
                    "database check", new PeriodicCheck("database", data::databaseReachable, Duration.ofSeconds(2))));

            gateway = joinGateway(starting);
            if (config.discord().registerCommands()
                    && config.shards().shardIds().contains(0)) {
                commandExecutor.execute(this::registerCommands);
            }
        } catch (RuntimeException | Error e) {
            boot.shutdown();
            if (starting != null) {
                // A gateway that comes up after the start failed elsewhere is closed as soon as it is there.
                starting.thenAccept(Gateway::close);
            }
            release();
            throw e;
        }
    }

    public static BotApplication start(BotConfig config, Tuning tuning) {
        return new BotApplication(config, tuning);
    }

    private CompletableFuture<Optional<RedisConnector>> connectRedis(ExecutorService boot) {
        return config.redis().enabled()
                ? CompletableFuture.supplyAsync(() -> Optional.of(new RedisConnector(config.redis())), boot)
                : CompletableFuture.completedFuture(Optional.empty());
    }

    private ShardStatusReporter startShardStatus() {
        return new ShardStatusReporter(
                        config.shards().shardIds(),
                        statusWriter(config, kubernetes),
                        config.shardStatus().interval(),
                        Clock.systemUTC())
                .start();
    }

    /**
     * Resharding: the active generation answers; a standby one keeps its sessions, ignores other events and backs up
     * slash commands the active one misses (InteractionHandoff, in {@link #slashCommandListener}).
     */
    private BooleanSupplier watchActiveGeneration() {
        if (!config.shardStatus().enabled()) {
            return ActiveGeneration.always();
        }
        return teardown.add(
                "active generation",
                ActiveGeneration.watch(
                        kubernetes,
                        config.shardStatus().namespace().orElseThrow(),
                        config.shardStatus().cluster().orElseThrow(),
                        config.shardStatus().generation()));
    }

    private List<Object> gatewayListeners(DeferredListener slash, DeferredListener welcome) {
        List<Object> listeners = new ArrayList<>(List.of(slash, new ActiveOnlyListener(activeGeneration, welcome)));
        if (config.shardStatus().enabled()) {
            listeners.add(shardStatus);
        }
        return listeners;
    }

    private Gateway startGateway(CompletableFuture<Optional<RedisConnector>> redis, List<Object> listeners) {
        IdentifyEvents identifyEvents = config.shardStatus().enabled() ? shardStatus : IdentifyEvents.NONE;
        return Gateway.start(
                config.discord(),
                config.shards(),
                config.identify(),
                config.relay(),
                activeGeneration instanceof GenerationRole role ? role : GenerationRole.ALWAYS_ACTIVE,
                redis,
                meters,
                identifyEvents,
                listeners);
    }

    private static Gateway joinGateway(CompletableFuture<Gateway> starting) {
        try {
            return starting.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private DataLayer startDataLayer(Optional<RedisConnector> redis) {
        String origin = hostname + "-" + UUID.randomUUID().toString().substring(0, 8);
        DataLayer started = DataLayer.start(
                config.postgres(),
                config.redis(),
                redis.orElse(null),
                config.localCache(),
                meters,
                origin,
                tuning.data(),
                breakers.registry());
        if (!config.redis().enabled()) {
            log.warn("no REDIS_URL/REDIS_CLUSTER_NODES: L1 + PostgreSQL only, no cross-shard invalidation,"
                    + " identify pacing in this process only");
        }
        return started;
    }

    private CommandRegistry createCommands() {
        HttpClient httpClient = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        return BotCommands.create(
                data.guildConfig(),
                data.userData(),
                data.moderationCases(),
                new WeatherClient(config.externalApis().weather(), new GuardedHttp("weather", httpClient, breakers)),
                new GithubClient(config.externalApis().github(), new GuardedHttp("github", httpClient, breakers)),
                new WikiClient(config.externalApis().wiki(), new GuardedHttp("wiki", httpClient, breakers)),
                new JdaModLog(this::shards),
                this::cacheStats,
                breakers::states);
    }

    /** Usage counts go to PostgreSQL in batches; the last batch is flushed when the scheduler stops. */
    private CommandUsageFlusher scheduleUsageFlush(CommandUsage usage) {
        CommandUsageFlusher usageFlusher = new CommandUsageFlusher(usage, data.commandStats(), Clock.systemUTC());
        ScheduledExecutorService scheduler =
                Executors.newScheduledThreadPool(1, DaemonThreads.factory("bot-scheduler"));
        long flushMs = tuning.statsFlushEvery().toMillis();
        scheduler.scheduleWithFixedDelay(usageFlusher::flush, flushMs, flushMs, TimeUnit.MILLISECONDS);
        teardown.add("command usage", () -> {
            scheduler.shutdownNow();
            usageFlusher.flush();
        });
        return usageFlusher;
    }

    private GenerationHandoffListener slashCommandListener(
            CommandUsage usage, ExecutorService commandExecutor, ScheduledExecutorService interactionTimers) {
        CommandDispatcher dispatcher = new CommandDispatcher(
                commands,
                usage,
                new InteractionTimeoutGuard(tuning.guardDeadline(), interactionTimers),
                commandExecutor);
        Optional<InteractionClaims> claims = data.resilientRedis()
                .map(r -> new RedisInteractionClaims(
                        r, RedisInteractionClaims.owner(config.shardStatus().generation(), hostname)));
        InteractionHandoff handoff = InteractionHandoff.forGeneration(
                activeGeneration,
                claims,
                config.relay().enabled(),
                config.shardStatus().standbyDelay(),
                InteractionHandoff.Timer.of(interactionTimers),
                commandExecutor,
                new InteractionClaimMetrics(meters));
        if (handoff.claiming()) {
            log.info(
                    "interactions are claimed in Redis across shard generations and hand-offs (generation {}, standby delay {} ms)",
                    config.shardStatus().generation(),
                    config.shardStatus().standbyDelay().toMillis());
        }
        return new GenerationHandoffListener(
                handoff,
                new SlashCommandListener(
                        commands,
                        dispatcher,
                        interactionTimers,
                        SlashCommandListener.DEFER_AFTER,
                        new InteractionLatency(meters)));
    }

    private OpsHttpServer startOpsServer(PeriodicCheck databaseCheck) {
        Readiness readiness = new Readiness()
                .add("gateway", () -> {
                    Gateway g = gateway;
                    return !stopping && g != null && g.allConnected();
                })
                .add("database", databaseCheck);
        StatusSources sources = new StatusSources(
                this::shardStatuses,
                this::cacheStats,
                data::poolStats,
                breakers::states,
                () -> Map.of("database", databaseCheck.getAsBoolean(), "redis", data.redisConnected()));
        return new OpsHttpServer(
                        config.http().port(),
                        new AdminToken(config.http().adminToken()),
                        readiness,
                        new CachedStatus(sources, Duration.ofMillis(250)),
                        meters)
                .start();
    }

    private static ShardStatusWriter statusWriter(BotConfig config, LazyKubernetesClient kubernetes) {
        if (!config.shardStatus().enabled()) {
            return ShardStatusWriter.NONE;
        }
        return new KubernetesShardStatusWriter(
                config.shardStatus().namespace().orElseThrow(),
                config.shardStatus().namePrefix().orElseThrow(),
                kubernetes);
    }

    /** Once per deploy (see {@link CommandRegistration}), by the process running shard 0, over REST. */
    private void registerCommands() {
        CommandsPayload payload = CommandsPayload.of(CommandDefinitions.of(commands));
        CommandsRestClient rest = new CommandsRestClient(config.discord());
        CommandRegistration.registerOnce(
                payload,
                rest::overwriteGlobal,
                data.redisConnector(),
                Gateway.tokenNamespace(config.discord().token().reveal()));
    }

    private Map<String, CacheStats> cacheStats() {
        return Map.of(
                "guild", data.guildConfig().stats(), "user", data.userData().stats());
    }

    private List<ShardStatus> shardStatuses() {
        ShardManager m = shards();
        if (m == null) {
            return List.of();
        }
        return m.getShards().stream()
                .map(j -> new ShardStatus(
                        j.getShardInfo().getShardId(),
                        j.getStatus().name(),
                        j.getGatewayPing(),
                        j.getGuildCache().size()))
                .sorted((a, b) -> Integer.compare(a.id(), b.id()))
                .toList();
    }

    public int httpPort() {
        return http.port();
    }

    public ShardManager shards() {
        Gateway g = gateway;
        return g == null ? null : g.shards();
    }

    public Gateway gateway() {
        return gateway;
    }

    public DataLayer data() {
        return data;
    }

    public CommandRegistry commands() {
        return commands;
    }

    public ExternalBreakers breakers() {
        return breakers;
    }

    public CommandUsageFlusher usageFlusher() {
        return flusher;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    public ShardStatusReporter shardStatus() {
        return shardStatus;
    }

    /**
     * Graceful stop within {@code grace}: not ready at once, every Shard reports Disconnected, gateway sessions close
     * with 1000, then the rest is released in reverse order of start (pending command counters are flushed before
     * the data layer closes).
     */
    public synchronized void stop(Duration grace) {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        long deadline = System.nanoTime() + grace.toNanos();
        shardStatus.shuttingDown("shutting down (SIGTERM)", share(deadline, 0.2));
        boolean clean = gateway.shutdown(share(deadline, 0.6));
        release();
        log.info("stopped ({})", clean ? "all gateway sessions closed" : "some shards did not finish closing in time");
    }

    /**
     * What a stop and a failed start both do. The ops server goes last, out of the reverse order: /health keeps
     * answering until the end so the kubelet does not kill the pod mid-way.
     */
    private void release() {
        teardown.close();
        if (http != null) {
            http.close();
        }
    }

    /** A fraction of the time left until the deadline. */
    private static Duration share(long deadlineNanos, double fraction) {
        return Duration.ofNanos(Math.max(0, (long) ((deadlineNanos - System.nanoTime()) * fraction)));
    }

    @Override
    public void close() {
        stop(config.lifecycle().shutdownGrace());
    }
}
