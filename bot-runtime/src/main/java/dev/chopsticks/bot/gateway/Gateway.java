package dev.chopsticks.bot.gateway;

import dev.chopsticks.bot.cache.RedisConnector;
import dev.chopsticks.bot.config.DiscordConfig;
import dev.chopsticks.bot.config.IdentifyConfig;
import dev.chopsticks.bot.config.RelayConfig;
import dev.chopsticks.bot.config.ShardConfig;
import dev.chopsticks.bot.identify.DeferredIdentifyGate;
import dev.chopsticks.bot.identify.GatewayBotClient;
import dev.chopsticks.bot.identify.IdentifyBudget;
import dev.chopsticks.bot.identify.IdentifyEvents;
import dev.chopsticks.bot.identify.IdentifyGate;
import dev.chopsticks.bot.identify.IdentifyMetrics;
import dev.chopsticks.bot.identify.IdentifySessionController;
import dev.chopsticks.bot.identify.LocalIdentifyGate;
import dev.chopsticks.bot.identify.LocalShardIdentifyCounter;
import dev.chopsticks.bot.identify.RedisIdentifyGate;
import dev.chopsticks.bot.identify.RedisShardIdentifyCounter;
import dev.chopsticks.bot.identify.ShardIdentifyCounter;
import dev.chopsticks.bot.relay.GatewayRelay;
import dev.chopsticks.bot.relay.GenerationRole;
import dev.chopsticks.bot.relay.MemorySessionStore;
import dev.chopsticks.bot.relay.RedisSessionStore;
import dev.chopsticks.bot.relay.RelayMetrics;
import dev.chopsticks.bot.relay.SessionStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.sharding.DefaultShardManagerBuilder;
import net.dv8tion.jda.api.sharding.ShardManager;
import net.dv8tion.jda.api.utils.Compression;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's ONE ShardManager, running the shards the operator assigned, behind the cross-pod identify queue.
 *
 * <p>Intents and caches are minimal: {@code GUILDS} (always on in JDA) and {@code GUILD_MEMBERS}, which is privileged
 * and must be enabled for the application in the developer portal; it is kept only because {@code /welcome} greets
 * members on GUILD_MEMBER_ADD. No member cache, no chunking, no cache flags (settings live in our own caches).
 * No message intents: slash commands arrive as interactions regardless of intents, and DM interactions come on shard 0.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    public static final EnumSet<GatewayIntent> INTENTS = EnumSet.of(GatewayIntent.GUILD_MEMBERS);

    private final ShardManager shards;
    private final IdentifySessionController controller;
    private final Optional<GatewayRelay> relay;

    private Gateway(ShardManager shards, IdentifySessionController controller, Optional<GatewayRelay> relay) {
        this.shards = shards;
        this.controller = controller;
        this.relay = relay;
    }

    /**
     * @param redis     the process's Redis client: the identify queue is shared with every pod through it; empty
     *                  means in-process pacing only (one pod)
     * @param listeners JDA event listeners
     */
    public static Gateway start(
            DiscordConfig discord,
            ShardConfig shards,
            IdentifyConfig identify,
            Optional<RedisConnector> redis,
            MeterRegistry meters,
            IdentifyEvents events,
            List<Object> listeners) {
        return start(discord, shards, identify, CompletableFuture.completedFuture(redis), meters, events, listeners);
    }

    /** As above, with the Redis client still connecting: identifies wait for it, the rest of the start does not. */
    public static Gateway start(
            DiscordConfig discord,
            ShardConfig shards,
            IdentifyConfig identify,
            CompletableFuture<Optional<RedisConnector>> redis,
            MeterRegistry meters,
            IdentifyEvents events,
            List<Object> listeners) {
        return start(
                discord,
                shards,
                identify,
                RelayConfig.disabled(),
                GenerationRole.ALWAYS_ACTIVE,
                redis,
                meters,
                events,
                listeners);
    }

    /**
     * As above; with the relay enabled JDA connects to the in-process {@link GatewayRelay}, which RESUMEs the
     * session a predecessor process saved, and shards it resumes skip the identify queue.
     */
    public static Gateway start(
            DiscordConfig discord,
            ShardConfig shards,
            IdentifyConfig identify,
            RelayConfig relayConfig,
            GenerationRole role,
            CompletableFuture<Optional<RedisConnector>> redis,
            MeterRegistry meters,
            IdentifyEvents events,
            List<Object> listeners) {
        Optional<GatewayRelay> relay = relayConfig.enabled()
                ? Optional.of(GatewayRelay.start(
                        discord.token().reveal(),
                        discord.gatewayUrl().toString(),
                        shards.shardCount(),
                        sessionStore(discord, relayConfig, redis),
                        relayConfig.resumeWindow(),
                        new RelayMetrics(meters),
                        events,
                        role))
                : Optional.empty();
        String gatewayUrl =
                relay.map(GatewayRelay::url).orElse(discord.gatewayUrl().toString());
        IdentifySessionController controller = identifyQueue(discord, gatewayUrl, identify, redis, meters, events);
        relay.ifPresent(controller::withResumableSessions);
        try {
            ShardManager manager = DefaultShardManagerBuilder.createLight(
                            discord.token().reveal(), INTENTS)
                    .setShardsTotal(shards.shardCount())
                    .setShards(shards.shardIds())
                    .setSessionController(controller)
                    .setRestConfig(
                            new RestConfig().setBaseUrl(discord.apiBaseUrl().toString()))
                    .setHttpClient(restClient())
                    // The relay is on loopback: compressing for it would only cost CPU.
                    .setCompression(relay.isPresent() ? Compression.NONE : Compression.ZLIB)
                    .setEnableShutdownHook(false)
                    .addEventListeners(listeners.toArray())
                    .build();
            log.info(
                    "gateway: shards {} of {} (max_concurrency {}, identify queue {}{})",
                    shards.shardIds(),
                    shards.shardCount(),
                    controller.concurrency(),
                    redis.thenApply(r -> r.isPresent() ? "Redis, shared by all pods" : "in-process")
                            .getNow("Redis (connecting), shared by all pods"),
                    relay.isPresent() ? ", sessions handed over through the relay" : "");
            return new Gateway(manager, controller, relay);
        } catch (RuntimeException e) {
            controller.close();
            relay.ifPresent(GatewayRelay::close);
            throw e;
        }
    }

    /**
     * Redis when the bot has it (every pod sees every saved session), else this process only. Asked at the first
     * connect, which waits for a Redis client still connecting: missing a saved session would cost an IDENTIFY.
     */
    private static Supplier<SessionStore> sessionStore(
            DiscordConfig discord, RelayConfig relay, CompletableFuture<Optional<RedisConnector>> redis) {
        String namespace = tokenNamespace(discord.token().reveal());
        MemorySessionStore local = new MemorySessionStore();
        AtomicReference<SessionStore> resolved = new AtomicReference<>();
        return () -> {
            SessionStore known = resolved.get();
            if (known != null) {
                return known;
            }
            try {
                SessionStore store = redis.get(5, TimeUnit.SECONDS)
                        .<SessionStore>map(c -> new RedisSessionStore(c, namespace, relay.resumeWindow()))
                        .orElse(local);
                resolved.compareAndSet(null, store);
                return resolved.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return local;
            } catch (ExecutionException | TimeoutException e) {
                return local;
            }
        };
    }

    static IdentifySessionController identifyQueue(
            DiscordConfig discord,
            String gatewayUrl,
            IdentifyConfig identify,
            CompletableFuture<Optional<RedisConnector>> redis,
            MeterRegistry meters,
            IdentifyEvents events) {
        String namespace = tokenNamespace(discord.token().reveal());
        Duration lease = IdentifySessionController.inFlightLease(identify);
        IdentifyGate gate = new DeferredIdentifyGate(redis.thenApply(
                r -> r.<IdentifyGate>map(c -> new RedisIdentifyGate(c, namespace, lease, Duration.ofSeconds(60)))
                        .orElseGet(() -> new LocalIdentifyGate(lease))));
        CompletableFuture<ShardIdentifyCounter> counterReady = redis.thenApply(r -> r.<ShardIdentifyCounter>map(c ->
                        new RedisShardIdentifyCounter(c, namespace, identify.shardHourlyCap(), Duration.ofHours(1)))
                .orElseGet(() -> new LocalShardIdentifyCounter(identify.shardHourlyCap(), Duration.ofHours(1))));
        ShardIdentifyCounter counter = shardId -> counterReady.join().tryCount(shardId);
        GatewayBotClient gatewayBot = new GatewayBotClient(discord.apiBaseUrl(), discord.token());
        IdentifyMetrics metrics = new IdentifyMetrics(meters);
        IdentifyBudget budget = new IdentifyBudget(
                () -> gatewayBot.fetch().sessionStartLimit(),
                identify.budgetReserve(),
                identify.refusedRetry(),
                counter,
                metrics,
                events);
        return new IdentifySessionController(gatewayUrl, identify, gate, budget, gatewayBot, events, metrics)
                .withGlobalRateLimit(new SharedGlobalRateLimit(redis, namespace));
    }

    /**
     * One HTTP client for every shard of the process. JDA's default keeps only 5 idle connections: at hundreds of
     * interaction replies per second the rest are closed after each call and reopened for the next (connection
     * churn and OkHttp's pool bookkeeping were the largest CPU cost per interaction). Keep enough for the
     * concurrency JDA allows per host.
     */
    static OkHttpClient restClient() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(128);
        dispatcher.setMaxRequestsPerHost(64);
        return new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(64, 5, TimeUnit.MINUTES))
                .build();
    }

    /** Identify limits are per bot: keys carry a hash of the token (never the token). */
    public static String tokenNamespace(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public ShardManager shards() {
        return shards;
    }

    public IdentifySessionController identifyQueue() {
        return controller;
    }

    /** Ready when every shard of this process is connected. */
    public boolean allConnected() {
        return allConnected(shards);
    }

    public static boolean allConnected(ShardManager manager) {
        List<JDA> all = manager.getShards();
        return !all.isEmpty() && all.stream().allMatch(j -> j.getStatus() == JDA.Status.CONNECTED);
    }

    /**
     * Without the relay, closes every gateway session with 1000 (the session ends: a new pod cannot resume it, since
     * the session id and sequence live in this process). With it, the relay first hands every session over (saved,
     * the connection dropped without a 1000) and JDA's close reaches only the relay. Then waits up to
     * {@code timeout} for the shards to finish.
     */
    public boolean shutdown(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JDA> all = shards.getShards();
        relay.ifPresent(GatewayRelay::handOff);
        shards.shutdown();
        boolean clean = true;
        for (JDA jda : all) {
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0 || !jda.awaitShutdown(Duration.ofNanos(left))) {
                    clean = false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                clean = false;
                break;
            }
        }
        controller.close();
        relay.ifPresent(GatewayRelay::close);
        return clean;
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }
}
