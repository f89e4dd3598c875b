package dev.chopsticks.bot.identify;

import dev.chopsticks.bot.cache.RedisConnector;
import dev.chopsticks.bot.config.DiscordConfig;
import dev.chopsticks.bot.config.IdentifyConfig;
import dev.chopsticks.bot.config.RedisConfig;
import dev.chopsticks.bot.config.Secret;
import dev.chopsticks.bot.config.ShardConfig;
import dev.chopsticks.bot.gateway.Gateway;
import dev.chopsticks.discordsim.DiscordSimulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.events.StatusChangeEvent;
import net.dv8tion.jda.api.hooks.EventListener;

/**
 * One simulated bot pod for tests: its own Redis client and its own ShardManager behind the identify queue, recording
 * when each shard sent IDENTIFY (JDA's AWAITING_LOGIN_CONFIRMATION) and became CONNECTED (System.nanoTime()).
 */
public final class GatewayPod implements AutoCloseable {
    public final Gateway gateway;
    public final RedisConnector redis;
    public final SimpleMeterRegistry meters;
    public final Map<Integer, Long> identifiedAt;
    public final Map<Integer, Long> connectedAt;

    private GatewayPod(Gateway gateway, RedisConnector redis, Recorder recorder, SimpleMeterRegistry meters) {
        this.gateway = gateway;
        this.meters = meters;
        this.redis = redis;
        this.identifiedAt = recorder.identifiedAt;
        this.connectedAt = recorder.connectedAt;
    }

    public static DiscordConfig discord(DiscordSimulator sim) {
        return new DiscordConfig(
                new Secret(sim.token()), URI.create(sim.restBaseUrl()), URI.create(sim.gatewayUrl()), false);
    }

    /** Loopback to the simulator has sub-millisecond jitter; production keeps IDENTIFY_SAFETY_MS = 250. */
    static final Duration SAFETY = Duration.ofMillis(20);

    public static IdentifyConfig identify(int maxConcurrency, Duration window, int reserve, int shardCap) {
        return new IdentifyConfig(
                OptionalInt.of(maxConcurrency), window, SAFETY, reserve, shardCap, Duration.ofSeconds(1));
    }

    public static RedisConnector redis(String url) {
        return new RedisConnector(new RedisConfig(
                Optional.of(new Secret(url)), List.of(), Duration.ofSeconds(30), Duration.ofSeconds(1)));
    }

    public static GatewayPod start(
            DiscordSimulator sim,
            int shardCount,
            List<Integer> shardIds,
            IdentifyConfig identify,
            String redisUrl,
            IdentifyEvents events) {
        RedisConnector redis = redisUrl == null ? null : redis(redisUrl);
        Recorder recorder = new Recorder();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<Object> listeners = new ArrayList<>(List.of(recorder));
        if (events instanceof EventListener statusListener) {
            listeners.add(statusListener);
        }
        Gateway gateway = Gateway.start(
                discord(sim),
                new ShardConfig(shardCount, OptionalInt.empty(), List.copyOf(shardIds)),
                identify,
                Optional.ofNullable(redis),
                meters,
                events,
                listeners);
        return new GatewayPod(gateway, redis, recorder, meters);
    }

    public boolean allConnected() {
        return gateway.allConnected();
    }

    public long connectedCount() {
        return gateway.shards().getShards().stream()
                .filter(j -> j.getStatus() == JDA.Status.CONNECTED)
                .count();
    }

    /** Closes the Redis client first: like a killed pod, nothing is released or renewed afterwards. */
    public void kill() {
        if (redis != null) {
            redis.close();
        }
        gateway.shards().getShards().forEach(JDA::shutdownNow);
        gateway.identifyQueue().close();
    }

    @Override
    public void close() {
        gateway.shutdown(Duration.ofSeconds(5));
        if (redis != null) {
            redis.close();
        }
    }

    private static final class Recorder implements EventListener {
        final Map<Integer, Long> identifiedAt = new ConcurrentHashMap<>();
        final Map<Integer, Long> connectedAt = new ConcurrentHashMap<>();

        @Override
        public void onEvent(GenericEvent event) {
            if (event instanceof StatusChangeEvent e) {
                int shard = e.getJDA().getShardInfo().getShardId();
                long now = System.nanoTime();
                if (e.getNewStatus() == JDA.Status.AWAITING_LOGIN_CONFIRMATION) {
                    identifiedAt.putIfAbsent(shard, now);
                } else if (e.getNewStatus() == JDA.Status.CONNECTED) {
                    connectedAt.putIfAbsent(shard, now);
                }
            }
        }
    }
}
