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
import dev.chopsticks.bot.metrics.MetricsRegistry;
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

/** Wires the whole bot process: data layer, breakers, commands, gateway, Shard status and the ops HTTP server. */
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
    private final PrometheusMeterRegistry meters;
    private final DataLayer data;
    private final ExternalBreakers breakers;
    private final ExecutorService commandExecutor;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService interactionTimers;
    private final CommandRegistry commands;
    private final CommandUsageFlusher flusher;
    private final PeriodicCheck databaseCheck;
    private final ShardStatusReporter shardStatus;
    private final LazyKubernetesClient kubernetes;
    private final BooleanSupplier activeGeneration;
    private final OpsHttpServer http;
    private volatile Gateway gateway;
    private volatile boolean stopping;
    private volatile boolean closed;

    private BotApplication(BotConfig config, Tuning tuning) {
        this.config = config;
        // The start path runs in parallel: Redis connects and the gateway starts (JDA, GET /gateway/bot, the first
        // identify) while the pool, the caches, the commands and the HTTP server are built. Listeners that need the
        // data layer are attached when it is ready; events arriving before are held (DeferredListener).
        ExecutorService boot = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "boot");
            t.setDaemon(true);
            return t;
        });
        meters = MetricsRegistry.prometheus();
        CompletableFuture<Optional<RedisConnector>> redis = config.redis().enabled()
                ? CompletableFuture.supplyAsync(() -> Optional.of(new RedisConnector(config.redis())), boot)
                : CompletableFuture.completedFuture(Optional.empty());
        kubernetes = new LazyKubernetesClient();
        shardStatus = new ShardStatusReporter(
                        config.shards().shardIds(),
                        statusWriter(config, kubernetes),
                        config.shardStatus().interval(),
                        Clock.systemUTC())
                .start();
        // Resharding: the active generation answers; a standby one keeps its sessions, ignores other events and backs
        // up slash commands the active one misses (InteractionHandoff, attached below with the claims store).
        activeGeneration = config.shardStatus().enabled()
                ? ActiveGeneration.watch(
                        kubernetes,
                        config.shardStatus().namespace().orElseThrow(),
                        config.shardStatus().cluster().orElseThrow(),
                        config.shardStatus().generation())
                : ActiveGeneration.always();
        DeferredListener slash = new DeferredListener();
        DeferredListener welcome = new DeferredListener();
        List<Object> listeners = new ArrayList<>(List.of(slash, new ActiveOnlyListener(activeGeneration, welcome)));
        if (config.shardStatus().enabled()) {
            listeners.add(shardStatus);
        }
        IdentifyEvents identifyEvents = config.shardStatus().enabled() ? shardStatus : IdentifyEvents.NONE;
        CompletableFuture<Gateway> starting = CompletableFuture.supplyAsync(
                () -> Gateway.start(
                        config.discord(), config.shards(), config.identify(), redis, meters, identifyEvents, listeners),
                boot);
        boot.shutdown();

        breakers = new ExternalBreakers(tuning.breakers(), meters);
        String hostname = System.getenv().getOrDefault("HOSTNAME", "bot");
        String origin = hostname + "-" + UUID.randomUUID().toString().substring(0, 8);
        data = DataLayer.start(
                config.postgres(),
                config.redis(),
                redis.join().orElse(null),
                config.localCache(),
                meters,
                origin,
                tuning.data(),
                breakers.registry());
        if (!config.redis().enabled()) {
            log.warn("no REDIS_URL/REDIS_CLUSTER_NODES: L1 + PostgreSQL only, no cross-shard invalidation,"
                    + " identify pacing in this process only");
        }
        commandExecutor = Executors.newVirtualThreadPerTaskExecutor();
        scheduler = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "bot-scheduler");
            t.setDaemon(true);
            return t;
        });
        HttpClient httpClient = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        JdaModLog modLog = new JdaModLog(this::shards);
        commands = BotCommands.create(
                data.guildConfig(),
                data.userData(),
                data.moderationCases(),
                new WeatherClient(config.externalApis().weather(), new GuardedHttp("weather", httpClient, breakers)),
                new GithubClient(config.externalApis().github(), new GuardedHttp("github", httpClient, breakers)),
                new WikiClient(config.externalApis().wiki(), new GuardedHttp("wiki", httpClient, breakers)),
                modLog,
                this::cacheStats,
                breakers::states);
        CommandUsage usage = new CommandUsage();
        flusher = new CommandUsageFlusher(usage, data.commandStats(), Clock.systemUTC());
        long flushMs = tuning.statsFlushEvery().toMillis();
        scheduler.scheduleWithFixedDelay(flusher::flush, flushMs, flushMs, TimeUnit.MILLISECONDS);
        // Interaction timers (deferral, 2.5 s guard) on their own thread: a slow stats flush must never delay them.
        interactionTimers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "interaction-timers");
            t.setDaemon(true);
            return t;
        });
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
                config.shardStatus().standbyDelay(),
                InteractionHandoff.Timer.of(interactionTimers),
                commandExecutor,
                new InteractionClaimMetrics(meters));
        if (handoff.claiming()) {
            log.info(
                    "interactions are claimed in Redis across shard generations (generation {}, standby delay {} ms)",
                    config.shardStatus().generation(),
                    config.shardStatus().standbyDelay().toMillis());
        }
        slash.attach(new GenerationHandoffListener(
                handoff,
                new SlashCommandListener(
                        commands,
                        dispatcher,
                        interactionTimers,
                        SlashCommandListener.DEFER_AFTER,
                        new InteractionLatency(meters))));
        welcome.attach(new WelcomeListener(new WelcomeMessages(data.guildConfig()), commandExecutor));

        databaseCheck = new PeriodicCheck("database", data::databaseReachable, Duration.ofSeconds(2));
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
        http = new OpsHttpServer(
                        config.http().port(),
                        new AdminToken(config.http().adminToken()),
                        readiness,
                        new CachedStatus(sources, Duration.ofMillis(250)),
                        meters)
                .start();

        try {
            gateway = starting.join();
        } catch (CompletionException e) {
            http.close();
            databaseCheck.close();
            scheduler.shutdownNow();
            interactionTimers.shutdownNow();
            shardStatus.close();
            closeGeneration();
            kubernetes.close();
            data.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        if (config.discord().registerCommands() && config.shards().shardIds().contains(0)) {
            commandExecutor.execute(this::registerCommands);
        }
    }

    public static BotApplication start(BotConfig config, Tuning tuning) {
        return new BotApplication(config, tuning);
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
     * with 1000, pending command counters are flushed, then the data layer closes. /health keeps answering until the
     * end so the kubelet does not kill the pod mid-way.
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
        scheduler.shutdownNow();
        interactionTimers.shutdownNow();
        flusher.flush();
        commandExecutor.shutdown();
        databaseCheck.close();
        shardStatus.close();
        closeGeneration();
        kubernetes.close();
        breakers.close();
        data.close();
        http.close();
        log.info("stopped ({})", clean ? "all gateway sessions closed" : "some shards did not finish closing in time");
    }

    private void closeGeneration() {
        if (activeGeneration instanceof ActiveGeneration watched) {
            watched.close();
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
