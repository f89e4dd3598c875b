package dev.chopsticks.bot.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.bot.testinfra.RealServices;
import dev.chopsticks.bot.testinfra.TestDataLayers;
import dev.chopsticks.testinfra.PgBouncerProcess;
import dev.chopsticks.testinfra.RedisProcess;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Redis is SIGKILLed mid-test and restarted: reads and writes keep working via PostgreSQL, then Redis is used again. */
@ExtendWith(RealServices.class)
class RedisOutageIT {
    private final PgBouncerProcess pgBouncer;
    private RedisProcess redis;
    private DataLayer a;
    private DataLayer b;

    RedisOutageIT(PgBouncerProcess pgBouncer) {
        this.pgBouncer = pgBouncer;
    }

    @BeforeEach
    void start() {
        redis = RedisProcess.start();
        a = TestDataLayers.start(pgBouncer.postgresUrl(), redis.url());
        b = TestDataLayers.start(pgBouncer.postgresUrl(), redis.url());
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        redis.close();
    }

    private static long guildId() {
        return ThreadLocalRandom.current().nextLong(1L << 40, 1L << 60);
    }

    @Test
    void redisKilledThenRestartedIsInvisibleToReadersAndWriters() {
        long cached = guildId();
        a.guildConfig().update(cached, s -> s.withPrefix("before"));
        assertThat(b.guildConfig().load(cached).value().prefix()).isEqualTo("before");

        redis.kill();

        // Reads of uncached guilds go to PostgreSQL without an error; the breaker opens after a few failures.
        for (int i = 0; i < 8; i++) {
            long g = guildId();
            assertThat(b.guildConfig().load(g).value()).isEqualTo(GuildSettings.defaults());
        }
        CircuitBreaker breaker = b.redisBreaker().orElseThrow();
        assertThat(breaker.getState()).isIn(CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN);
        assertThat(b.guildConfig().stats().l2Errors()).isPositive();

        // Writes still succeed (PostgreSQL is the source of truth); the invalidation is queued for later.
        a.guildConfig().update(cached, s -> s.withPrefix("during"));
        assertThat(a.guildConfig().load(cached).value().prefix()).isEqualTo("during");

        redis.startServer();

        // Once Redis is back the breakers close, the queued invalidation reaches B, and B sees the outage write.
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    b.guildConfig().load(guildId());
                    a.guildConfig().load(guildId());
                    return breaker.getState() == CircuitBreaker.State.CLOSED
                            && a.redisBreaker().orElseThrow().getState() == CircuitBreaker.State.CLOSED;
                });
        await().atMost(Duration.ofSeconds(10))
                .until(() -> b.guildConfig().load(cached).value().prefix().equals("during"));

        // Redis works as L2 and invalidation bus again.
        long fresh = guildId();
        a.guildConfig().update(fresh, s -> s.withPrefix("after"));
        long l2HitsBefore = b.guildConfig().stats().l2Hits();
        assertThat(b.guildConfig().load(fresh).value().prefix()).isEqualTo("after");
        assertThat(b.guildConfig().stats().l2Hits()).isEqualTo(l2HitsBefore + 1);
        a.guildConfig().update(fresh, s -> s.withPrefix("after2"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> b.guildConfig().load(fresh).value().prefix().equals("after2"));
    }

    @Test
    void walletsStayCorrectWhileRedisIsDown() {
        long user = guildId();
        long other = guildId();
        a.userData().claimDaily(user);
        assertThat(b.userData().wallet(user).value().balance()).isEqualTo(UserDataStore.DAILY_AMOUNT);

        redis.kill();
        a.userData().pay(user, other, 100);
        // B's L1 copy cannot be invalidated while Redis is down; a fresh reader (L1 miss) reads PostgreSQL.
        assertThat(a.userData().wallet(user).value().balance()).isEqualTo(150);

        redis.startServer();
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    a.userData().wallet(guildId());
                    b.userData().wallet(guildId());
                    return b.userData().wallet(user).value().balance() == 150;
                });
    }
}
