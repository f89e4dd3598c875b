package dev.chopsticks.bot.cache;

import dev.chopsticks.bot.concurrent.DaemonThreads;
import dev.chopsticks.bot.config.RedisConfig;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's ONE Redis client (standalone or cluster), with one command connection and one pub/sub connection.
 * Connecting is retried in the background, so the bot starts (degraded) while Redis is down.
 */
public final class RedisConnector implements RedisOps, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisConnector.class);

    /** Keeps an older L2 value from overwriting a newer one written by another shard. */
    static final String SET_IF_NEWER = """
            local cur = redis.call('GET', KEYS[1])
            if cur then
              local sep = string.find(cur, '|', 1, true)
              if sep and tonumber(string.sub(cur, 1, sep - 1)) >= tonumber(ARGV[1]) then return 0 end
            end
            redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
            return 1""";

    /** Fields per HSET / HSCAN page. */
    private static final int HASH_CHUNK = 100;

    static final Duration BULK_TIMEOUT = Duration.ofSeconds(2);

    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final ScheduledExecutorService connectRetry;
    /** Pub/sub listeners run here, never on Netty's event loop: a listener waiting on a cache lock must not stall replies. */
    private final ExecutorService listenerExecutor =
            Executors.newSingleThreadExecutor(DaemonThreads.factory("redis-pubsub"));

    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    private final Map<String, List<Runnable>> subscribedListeners = new ConcurrentHashMap<>();
    private volatile StatefulConnection<String, String> connection;
    private volatile RedisClusterAsyncCommands<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile boolean closed;

    public RedisConnector(RedisConfig config) {
        if (!config.enabled()) {
            throw new IllegalArgumentException("Redis is not configured");
        }
        // Reconnect quickly after a Redis restart instead of Lettuce's default back-off of up to 30 s.
        this.resources = ClientResources.builder()
                .reconnectDelay(
                        Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        SocketOptions socket =
                SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).build();
        TimeoutOptions timeouts = bulkAware(config.commandTimeout());
        if (config.cluster()) {
            List<RedisURI> seeds = config.clusterNodes().stream()
                    .map(n -> RedisURI.builder()
                            .withHost(n.host())
                            .withPort(n.port())
                            .build())
                    .toList();
            RedisClusterClient cluster = RedisClusterClient.create(resources, seeds);
            cluster.setOptions(ClusterClientOptions.builder()
                    .socketOptions(socket)
                    .timeoutOptions(timeouts)
                    // Node connections open lazily: rejecting while "disconnected" would fail every first command
                    // to a node. Commands wait instead, bounded by the command timeout and the breaker.
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                    .requestQueueSize(10_000)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers()
                            .build())
                    .build());
            this.client = cluster;
        } else {
            RedisClient standalone = new LazySyncRedisClient(
                    resources, RedisURI.create(config.url().orElseThrow().reveal()));
            // Fail fast while disconnected: the circuit breaker and PostgreSQL take over, nothing queues up.
            standalone.setOptions(ClientOptions.builder()
                    .socketOptions(socket)
                    .timeoutOptions(timeouts)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .build());
            this.client = standalone;
        }
        this.connectRetry = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("redis-connect"));
        tryConnect();
        if (!connected()) {
            connectRetry.scheduleWithFixedDelay(this::tryConnect, 1, 1, TimeUnit.SECONDS);
        }
    }

    public boolean connected() {
        StatefulConnection<String, String> c = connection;
        return c != null && c.isOpen() && pubSub != null;
    }

    private synchronized void tryConnect() {
        if (closed || connected()) {
            return;
        }
        try {
            if (connection == null) {
                if (client instanceof RedisClusterClient cluster) {
                    StatefulRedisClusterConnection<String, String> c = cluster.connect();
                    commands = c.async();
                    connection = c;
                } else {
                    StatefulRedisConnection<String, String> c = ((RedisClient) client).connect();
                    commands = c.async();
                    connection = c;
                }
            }
            if (pubSub == null) {
                StatefulRedisPubSubConnection<String, String> ps = client instanceof RedisClusterClient cluster
                        ? cluster.connectPubSub()
                        : ((RedisClient) client).connectPubSub();
                ps.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        listenerExecutor.execute(() -> deliver(channel, message));
                    }

                    // Also after Lettuce re-subscribes on a reconnect: messages sent meanwhile never arrive.
                    @Override
                    public void subscribed(String channel, long count) {
                        listenerExecutor.execute(() -> subscribedListeners
                                .getOrDefault(channel, List.of())
                                .forEach(Runnable::run));
                    }
                });
                if (!listeners.isEmpty()) {
                    resubscribe(ps);
                }
                pubSub = ps;
            }
            log.info("connected to Redis ({})", client instanceof RedisClusterClient ? "cluster" : "standalone");
            connectRetry.shutdown();
        } catch (RuntimeException e) {
            log.warn(
                    "Redis not reachable yet, retrying in the background: {}",
                    e.getClass().getSimpleName());
        }
    }

    /** After a reconnect: the channels listened to before. A connection that cannot subscribe is dropped. */
    private void resubscribe(StatefulRedisPubSubConnection<String, String> ps) {
        try {
            ps.async().subscribe(listeners.keySet().toArray(String[]::new)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ps.close();
            throw new IllegalStateException("interrupted while subscribing", e);
        } catch (ExecutionException | TimeoutException e) {
            ps.close();
            throw new IllegalStateException("subscribing failed", e);
        }
    }

    private void deliver(String channel, String message) {
        for (Consumer<String> l : listeners.getOrDefault(channel, List.of())) {
            try {
                l.accept(message);
            } catch (RuntimeException e) {
                log.warn("pub/sub listener failed on {}", channel, e);
            }
        }
    }

    private RedisClusterAsyncCommands<String, String> commands() {
        RedisClusterAsyncCommands<String, String> c = commands;
        if (c == null) {
            throw new IllegalStateException("Redis not connected");
        }
        return c;
    }

    private static <T> CompletionStage<T> failed(RuntimeException e) {
        return CompletableFuture.failedFuture(e);
    }

    @Override
    public CompletionStage<String> get(String key) {
        try {
            return commands().get(key);
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    @Override
    public CompletionStage<Boolean> setIfNewer(String key, long revision, String payload, Duration ttl) {
        try {
            CompletionStage<Long> r = commands()
                    .eval(
                            SET_IF_NEWER,
                            ScriptOutputType.INTEGER,
                            new String[] {key},
                            Long.toString(revision),
                            payload,
                            Long.toString(ttl.toMillis()));
            return r.thenApply(n -> n != null && n == 1L);
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    @Override
    public CompletionStage<Boolean> setIfAbsent(String key, String value, Duration ttl) {
        try {
            // One key per command, so it runs on Redis Cluster as is; Redis answers OK when set, nil when present.
            return commands()
                    .set(key, value, SetArgs.Builder.nx().px(ttl.toMillis()))
                    .thenApply("OK"::equals);
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    @Override
    public CompletionStage<Long> del(String key) {
        try {
            return commands().del(key);
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    @Override
    public CompletionStage<Long> publish(String channel, String message) {
        try {
            return commands().publish(channel, message);
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    @Override
    public CompletionStage<String> ping() {
        try {
            return commands().ping();
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    /** {@code SET key value PX ttl}. */
    public CompletionStage<String> set(String key, String value, Duration ttl) {
        try {
            return commands().set(key, value, SetArgs.Builder.px(ttl.toMillis()));
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    /**
     * {@code HSET key field value ...} then {@code PEXPIRE key ttl}, in that order on the one connection; large maps
     * go in chunks, so no single command outlasts the command timeout.
     */
    public CompletionStage<Boolean> hsetWithTtl(String key, Map<String, String> fields, Duration ttl) {
        try {
            RedisClusterAsyncCommands<String, String> c = commands();
            List<CompletableFuture<Long>> writes = new ArrayList<>();
            Map<String, String> chunk = new HashMap<>();
            for (Map.Entry<String, String> e : fields.entrySet()) {
                chunk.put(e.getKey(), e.getValue());
                if (chunk.size() == HASH_CHUNK) {
                    writes.add(c.hset(key, chunk).toCompletableFuture());
                    chunk = new HashMap<>();
                }
            }
            if (!chunk.isEmpty()) {
                writes.add(c.hset(key, chunk).toCompletableFuture());
            }
            CompletableFuture<Boolean> expire = c.pexpire(key, ttl.toMillis()).toCompletableFuture();
            return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                    .thenCompose(x -> expire);
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    public CompletionStage<Long> hdel(String key, String... fields) {
        try {
            return commands().hdel(key, fields);
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    /**
     * The command timeout, except for the hash chunks of the session hand-off store (HSET, HSCAN: up to 100 guilds
     * of GUILD_CREATE data each), which get at least {@link #BULK_TIMEOUT}: on a busy machine such a chunk can take
     * longer than a cache read may, and a shard whose saved guilds cannot be read must identify instead of resuming.
     */
    static TimeoutOptions bulkAware(Duration commandTimeout) {
        long normal = commandTimeout.toNanos();
        long bulk = Math.max(normal, BULK_TIMEOUT.toNanos());
        return TimeoutOptions.builder()
                .timeoutSource(new TimeoutOptions.TimeoutSource() {
                    @Override
                    public long getTimeout(RedisCommand<?, ?, ?> command) {
                        ProtocolKeyword type = command.getType();
                        return type == CommandType.HSCAN || type == CommandType.HSET ? bulk : normal;
                    }

                    @Override
                    public TimeUnit getTimeUnit() {
                        return TimeUnit.NANOSECONDS;
                    }
                })
                .build();
    }

    /** Every field of a hash, read with HSCAN in chunks (a large hash in one HGETALL can outlast the timeout). */
    public CompletionStage<Map<String, String>> hgetall(String key) {
        try {
            Map<String, String> out = new ConcurrentHashMap<>();
            return scan(key, ScanCursor.INITIAL, out).thenApply(x -> out);
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    private CompletionStage<Void> scan(String key, ScanCursor cursor, Map<String, String> out) {
        return commands().hscan(key, cursor, ScanArgs.Builder.limit(HASH_CHUNK)).thenCompose(page -> {
            out.putAll(page.getMap());
            return page.isFinished() ? CompletableFuture.<Void>completedFuture(null) : scan(key, page, out);
        });
    }

    /**
     * Runs a Lua script returning an integer (identify leases and counters). Scripts must touch only keys given in
     * {@code keys}, all in one hash slot (use a {hash tag}) so they also run on Redis Cluster.
     */
    public CompletionStage<Long> evalLong(String script, String[] keys, String... args) {
        try {
            return commands().eval(script, ScriptOutputType.INTEGER, keys, args);
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    @Override
    public synchronized void subscribe(String channel, Consumer<String> listener) {
        boolean first = !listeners.containsKey(channel);
        listeners.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>()).add(listener);
        StatefulRedisPubSubConnection<String, String> ps = pubSub;
        if (first && ps != null) {
            ps.async().subscribe(channel);
        }
    }

    @Override
    public void onSubscribed(String channel, Runnable listener) {
        subscribedListeners
                .computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>())
                .add(listener);
    }

    @Override
    public void close() {
        closed = true;
        connectRetry.shutdownNow();
        listenerExecutor.shutdownNow();
        if (pubSub != null) {
            pubSub.close();
        }
        if (connection != null) {
            connection.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
