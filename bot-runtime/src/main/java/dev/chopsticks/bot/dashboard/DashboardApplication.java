package dev.chopsticks.bot.dashboard;

import dev.chopsticks.bot.config.DashboardConfig;
import dev.chopsticks.bot.data.DataLayer;
import dev.chopsticks.bot.http.AdminToken;
import dev.chopsticks.bot.http.CachedStatus;
import dev.chopsticks.bot.http.OpsHttpServer;
import dev.chopsticks.bot.http.PeriodicCheck;
import dev.chopsticks.bot.http.Readiness;
import dev.chopsticks.bot.lifecycle.Teardown;
import dev.chopsticks.bot.metrics.MetricsRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code dashboard} process: no gateway, no shards. The data layer the shards use (PgBouncer, Redis), a cluster
 * overview read from what the shards write, and the bot's ops HTTP server: {@code /health}, {@code /ready} (PostgreSQL
 * reachable; Redis down only degrades), {@code /metrics} and {@code /api/internal/status} behind the admin token.
 */
public final class DashboardApplication implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DashboardApplication.class);
    private static final Duration DATABASE_CHECK_EVERY = Duration.ofSeconds(2);

    private final Teardown teardown = new Teardown();
    private final OpsHttpServer http;

    private DashboardApplication(DashboardConfig config) {
        try {
            PrometheusMeterRegistry meters = MetricsRegistry.prometheus("chopsticks-dashboard");
            String origin = config.identity().pod().orElse("dashboard") + "-"
                    + UUID.randomUUID().toString().substring(0, 8);
            DataLayer data = teardown.add(
                    "data layer",
                    DataLayer.start(
                            config.postgres(),
                            config.redis(),
                            config.localCache(),
                            meters,
                            origin,
                            DataLayer.Tuning.defaults(),
                            CircuitBreakerRegistry.ofDefaults()));
            if (!config.redis().enabled()) {
                log.warn("no REDIS_URL/REDIS_CLUSTER_NODES: the dashboard reads PostgreSQL only");
            }
            PeriodicCheck database = teardown.add(
                    "database check", new PeriodicCheck("database", data::databaseReachable, DATABASE_CHECK_EVERY));
            OverviewRefresher overview = teardown.add(
                    "overview",
                    new OverviewRefresher(
                            new OverviewQueries(data.jdbc(), Clock.systemUTC())::read,
                            config.overviewRefresh(),
                            meters));
            Optional<BooleanSupplier> redis =
                    config.redis().enabled() ? Optional.of(data::redisConnected) : Optional.empty();
            DashboardStatus status = new DashboardStatus(
                    config.identity(), database, redis, overview, data::poolStats, () -> breakers(data));
            http = new OpsHttpServer(
                            config.http().port(),
                            new AdminToken(config.http().adminToken()),
                            new Readiness().add("database", database),
                            new CachedStatus(status::document, Duration.ofMillis(250)),
                            meters)
                    .start();
        } catch (RuntimeException | Error e) {
            teardown.close();
            throw e;
        }
        log.info("dashboard started");
    }

    public static DashboardApplication start(DashboardConfig config) {
        return new DashboardApplication(config);
    }

    private static Map<String, String> breakers(DataLayer data) {
        return data.redisBreaker()
                .map(CircuitBreaker::getState)
                .map(s -> Map.of("redis", s.name().toLowerCase(Locale.ROOT)))
                .orElse(Map.of());
    }

    public int httpPort() {
        return http.port();
    }

    /** The HTTP server goes last, so /health answers until the end (as in BotApplication). */
    @Override
    public void close() {
        teardown.close();
        http.close();
    }
}
