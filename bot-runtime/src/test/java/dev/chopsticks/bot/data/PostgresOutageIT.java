package dev.chopsticks.bot.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.bot.testinfra.RealServices;
import dev.chopsticks.bot.testinfra.SharedServices;
import dev.chopsticks.bot.testinfra.TestDataLayers;
import dev.chopsticks.testinfra.PostgresProcess;
import dev.chopsticks.testinfra.RedisProcess;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** PostgreSQL is stopped: cached reads still answer, writes fail cleanly, and nothing is half-written. */
@ExtendWith(RealServices.class)
class PostgresOutageIT {
    private final RedisProcess redis;
    private PostgresProcess postgres;
    private DataLayer a;
    private DataLayer b;

    PostgresOutageIT(RedisProcess redis) {
        this.redis = redis;
    }

    @BeforeEach
    void start() {
        postgres = PostgresProcess.start();
        SharedServices.migrate(postgres);
        a = TestDataLayers.start(postgres.postgresUrl(), redis.url());
        b = TestDataLayers.start(postgres.postgresUrl(), redis.url());
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        postgres.close();
    }

    @Test
    void cachedReadsAnswerAndWritesFailWithoutPartialEffects() {
        long guild = 9_001L;
        a.guildConfig().update(guild, s -> s.withPrefix("cached"));
        a.userData().claimDaily(1L);
        a.userData().pay(1L, 2L, 50);

        postgres.stop();

        // L1 in the writer, L2 (Redis) in another process: both still answer.
        assertThat(a.guildConfig().load(guild).value().prefix()).isEqualTo("cached");
        assertThat(b.guildConfig().load(guild).value().prefix()).isEqualTo("cached");
        assertThat(b.userData().wallet(1L).value().balance()).isEqualTo(200);

        // Uncached reads and all writes fail with the data-layer exception, not a hang.
        assertThatThrownBy(() -> a.guildConfig().load(424_242L)).isInstanceOf(DataUnavailableException.class);
        assertThatThrownBy(() -> a.guildConfig().update(guild, s -> s.withPrefix("lost")))
                .isInstanceOf(DataUnavailableException.class)
                .hasMessageNotContaining(PostgresProcess.PASSWORD);
        assertThatThrownBy(() -> a.userData().pay(1L, 2L, 25)).isInstanceOf(DataUnavailableException.class);
        assertThat(a.databaseReachable()).isFalse();

        // The failed write did not poison the caches.
        assertThat(a.guildConfig().load(guild).value().prefix()).isEqualTo("cached");

        postgres.startServer();

        // After the restart PostgreSQL holds exactly the committed state.
        DataLayer fresh = TestDataLayers.start(postgres.postgresUrl(), null);
        try {
            assertThat(fresh.guildConfig().load(guild).value().prefix()).isEqualTo("cached");
            assertThat(fresh.userData().wallet(1L).value().balance()).isEqualTo(200);
            assertThat(fresh.userData().wallet(2L).value().balance()).isEqualTo(50);
            assertThat(fresh.databaseReachable()).isTrue();
        } finally {
            fresh.close();
        }
        // The pool recovers by itself once PostgreSQL is back.
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> a.guildConfig()
                        .update(guild, s -> s.withPrefix("again"))
                        .value()
                        .prefix()
                        .equals("again"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> b.guildConfig().load(guild).value().prefix().equals("again"));
    }
}
