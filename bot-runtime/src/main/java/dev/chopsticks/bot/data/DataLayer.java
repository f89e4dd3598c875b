package dev.chopsticks.bot.data;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.chopsticks.bot.cache.CacheMetrics;
import dev.chopsticks.bot.cache.InvalidationBus;
import dev.chopsticks.bot.cache.JsonCodec;
import dev.chopsticks.bot.cache.LayeredCache;
import dev.chopsticks.bot.cache.RedisConnector;
import dev.chopsticks.bot.cache.ResilientRedis;
import dev.chopsticks.bot.config.LocalCacheConfig;
import dev.chopsticks.bot.config.PostgresConfig;
import dev.chopsticks.bot.config.RedisConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Wires pool, Redis, caches and stores for one process; closing releases them in reverse order. */
public final class DataLayer implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final RedisConnector redisConnector;
    private final ResilientRedis redis;
    private final GuildConfigStore guildConfig;
    private final UserDataStore userData;
    private final ModerationCaseRepository moderationCases;
    private final CommandStatsRepository commandStats;

    /** Knobs tests shorten; production uses {@link #defaults()}. */
    public record Tuning(Duration redisOpenWait) {
        public static Tuning defaults() {
            return new Tuning(Duration.ofSeconds(5));
        }
    }

    private DataLayer(
            HikariDataSource dataSource,
            RedisConnector redisConnector,
            ResilientRedis redis,
            GuildConfigStore guildConfig,
            UserDataStore userData,
            ModerationCaseRepository moderationCases,
            CommandStatsRepository commandStats) {
        this.dataSource = dataSource;
        this.redisConnector = redisConnector;
        this.redis = redis;
        this.guildConfig = guildConfig;
        this.userData = userData;
        this.moderationCases = moderationCases;
        this.commandStats = commandStats;
    }

    /**
     * @param origin unique per process (pod name + random suffix); used to ignore our own invalidations
     */
    public static DataLayer start(
            PostgresConfig postgres,
            RedisConfig redisConfig,
            LocalCacheConfig local,
            MeterRegistry meters,
            String origin,
            Tuning tuning,
            CircuitBreakerRegistry breakers) {
        return start(
                postgres,
                redisConfig,
                redisConfig.enabled() ? new RedisConnector(redisConfig) : null,
                local,
                meters,
                origin,
                tuning,
                breakers);
    }

    /**
     * With the process's Redis client already created (the start path connects it in parallel with the rest), or
     * null when Redis is not configured. The data layer owns it from here and closes it.
     */
    public static DataLayer start(
            PostgresConfig postgres,
            RedisConfig redisConfig,
            RedisConnector connector,
            LocalCacheConfig local,
            MeterRegistry meters,
            String origin,
            Tuning tuning,
            CircuitBreakerRegistry breakers) {
        HikariDataSource ds = DataSourceFactory.create(postgres, "bot", meters);
        Jdbc jdbc = new Jdbc(ds);
        ResilientRedis redis = null;
        InvalidationBus bus = null;
        if (connector != null) {
            // In the shared registry so /stats, the status endpoint and metrics show it with the upstream breakers.
            CircuitBreaker breaker = breakers.circuitBreaker(
                    "redis", ResilientRedis.breakerConfig(redisConfig.commandTimeout(), tuning.redisOpenWait()));
            redis = new ResilientRedis(connector, breaker, redisConfig.commandTimeout());
            bus = new InvalidationBus(redis, origin);
        }
        LayeredCache<GuildSettings> guildCache = new LayeredCache<>(
                "guild",
                local.guildMax(),
                local.guildTtl(),
                redis,
                bus,
                redisConfig.guildTtl(),
                new JsonCodec<>(Json.MAPPER, GuildSettings.class),
                new CacheMetrics(meters, "guild"));
        // The guide gives no Redis TTL for users; the L1 user TTL keeps both layers equally fresh.
        LayeredCache<Wallet> userCache = new LayeredCache<>(
                "user",
                local.userMax(),
                local.userTtl(),
                redis,
                bus,
                local.userTtl(),
                new JsonCodec<>(Json.MAPPER, Wallet.class),
                new CacheMetrics(meters, "user"));
        return new DataLayer(
                ds,
                connector,
                redis,
                new GuildConfigStore(new GuildSettingsRepository(jdbc), guildCache),
                new UserDataStore(new WalletRepository(jdbc), userCache, Clock.systemUTC()),
                new ModerationCaseRepository(jdbc),
                new CommandStatsRepository(jdbc));
    }

    public GuildConfigStore guildConfig() {
        return guildConfig;
    }

    public UserDataStore userData() {
        return userData;
    }

    public ModerationCaseRepository moderationCases() {
        return moderationCases;
    }

    public CommandStatsRepository commandStats() {
        return commandStats;
    }

    /** Plain JDBC on the process's pool, for read-only reports such as the dashboard's overview. */
    public Jdbc jdbc() {
        return new Jdbc(dataSource);
    }

    public Optional<CircuitBreaker> redisBreaker() {
        return Optional.ofNullable(redis).map(ResilientRedis::breaker);
    }

    /** Redis behind the data layer's breaker (also guards the interaction claims), empty without Redis. */
    public Optional<ResilientRedis> resilientRedis() {
        return Optional.ofNullable(redis);
    }

    /** The process's one Redis client (also used by the identify queue and the command-registration lock). */
    public Optional<RedisConnector> redisConnector() {
        return Optional.ofNullable(redisConnector);
    }

    public boolean redisConnected() {
        return redisConnector != null && redisConnector.connected();
    }

    public PoolStats poolStats() {
        HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
        if (pool == null) {
            return new PoolStats(0, 0, 0, 0, dataSource.getMaximumPoolSize());
        }
        return new PoolStats(
                pool.getActiveConnections(),
                pool.getIdleConnections(),
                pool.getTotalConnections(),
                pool.getThreadsAwaitingConnection(),
                dataSource.getMaximumPoolSize());
    }

    /** A real round trip; callers cache the answer rather than probing per request. */
    public boolean databaseReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(1);
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (redisConnector != null) {
            redisConnector.close();
        }
        dataSource.close();
    }
}
