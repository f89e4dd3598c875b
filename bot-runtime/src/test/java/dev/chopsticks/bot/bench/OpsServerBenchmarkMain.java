package dev.chopsticks.bot.bench;

import dev.chopsticks.bot.cache.CacheStats;
import dev.chopsticks.bot.config.Secret;
import dev.chopsticks.bot.data.PoolStats;
import dev.chopsticks.bot.http.AdminToken;
import dev.chopsticks.bot.http.CachedStatus;
import dev.chopsticks.bot.http.OpsHttpServer;
import dev.chopsticks.bot.http.Readiness;
import dev.chopsticks.bot.http.ShardStatus;
import dev.chopsticks.bot.http.StatusSources;
import dev.chopsticks.bot.metrics.MetricsRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the ops HTTP server alone (status sources shaped like a 2-shard pod) for wrk / the loadtest subcommand:
 * {@code HTTP_PORT=8080 ADMIN_TOKEN=bench-token java -cp ... dev.chopsticks.bot.bench.OpsServerBenchmarkMain}.
 */
public final class OpsServerBenchmarkMain {
    private OpsServerBenchmarkMain() {}

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(System.getenv().getOrDefault("HTTP_PORT", "8080"));
        String token = System.getenv().getOrDefault("ADMIN_TOKEN", "bench-token");
        StatusSources sources = new StatusSources(
                () -> List.of(new ShardStatus(0, "CONNECTED", 41, 1800), new ShardStatus(1, "CONNECTED", 44, 1790)),
                () -> Map.of(
                        "guild",
                        new CacheStats(1999, 950_000, 50_000, 40_000, 10_000, 0, 10_000, 0),
                        "user",
                        new CacheStats(4000, 700_000, 300_000, 200_000, 100_000, 0, 100_000, 0)),
                () -> new PoolStats(1, 4, 5, 0, 10),
                () -> Map.of("redis", "CLOSED", "weather", "CLOSED", "github", "CLOSED", "wiki", "CLOSED"),
                () -> Map.of("redis", true, "database", true));
        OpsHttpServer server = new OpsHttpServer(
                        port,
                        new AdminToken(Optional.of(new Secret(token))),
                        new Readiness().add("gateway", () -> true),
                        new CachedStatus(sources, Duration.ofMillis(250)),
                        MetricsRegistry.prometheus())
                .start();
        System.out.println("listening on " + server.port());
        new CountDownLatch(1).await();
    }
}
