package dev.chopsticks.bot.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.bot.cache.CacheStats;
import dev.chopsticks.bot.cache.Versioned;
import dev.chopsticks.bot.config.LocalCacheConfig;
import dev.chopsticks.bot.testinfra.RealServices;
import dev.chopsticks.bot.testinfra.TestDataLayers;
import dev.chopsticks.testinfra.PgBouncerProcess;
import dev.chopsticks.testinfra.PostgresProcess;
import dev.chopsticks.testinfra.RedisProcess;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Guild settings through real PgBouncer (transaction mode) and Redis: layering, TTLs, invalidation, conflicts. */
@ExtendWith(RealServices.class)
class GuildConfigStoreIT {
    private final List<DataLayer> layers = new ArrayList<>();
    private final PostgresProcess postgres;
    private final PgBouncerProcess pgBouncer;
    private final RedisProcess redis;

    GuildConfigStoreIT(PostgresProcess postgres, PgBouncerProcess pgBouncer, RedisProcess redis) {
        this.postgres = postgres;
        this.pgBouncer = pgBouncer;
        this.redis = redis;
    }

    @AfterEach
    void closeLayers() {
        layers.forEach(DataLayer::close);
    }

    private DataLayer shard(LocalCacheConfig local, int redisTtlSec) {
        DataLayer layer = TestDataLayers.start(pgBouncer.postgresUrl(), redis.url(), local, redisTtlSec);
        layers.add(layer);
        return layer;
    }

    private DataLayer shard() {
        return shard(LocalCacheConfig.defaults(), 30);
    }

    private static long newGuildId() {
        return ThreadLocalRandom.current().nextLong(1L << 40, 1L << 60);
    }

    private void writeBehindTheCaches(long guildId, String prefix) throws Exception {
        try (Connection c = postgres.superuser(PostgresProcess.DATABASE);
                PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO guild_settings (guild_id, settings, revision) VALUES (?, jsonb_build_object('prefix', ?::text), 1)
                     ON CONFLICT (guild_id) DO UPDATE SET settings = EXCLUDED.settings, revision = guild_settings.revision + 1""")) {
            ps.setLong(1, guildId);
            ps.setString(2, prefix);
            ps.executeUpdate();
        }
    }

    @Test
    void readsFallThroughL1AndRedisToPostgresAndFillBothLayers() throws Exception {
        long guild = newGuildId();
        writeBehindTheCaches(guild, "?");
        DataLayer a = shard();

        assertThat(a.guildConfig().load(guild).value().prefix()).isEqualTo("?");
        CacheStats first = a.guildConfig().stats();
        assertThat(first.l1Misses()).isEqualTo(1);
        assertThat(first.l2Misses()).isEqualTo(1);
        assertThat(first.dbLoads()).isEqualTo(1);

        assertThat(a.guildConfig().load(guild).value().prefix()).isEqualTo("?");
        assertThat(a.guildConfig().stats().l1Hits()).isEqualTo(1);
        assertThat(a.guildConfig().stats().dbLoads()).isEqualTo(1);

        DataLayer b = shard();
        assertThat(b.guildConfig().load(guild).value().prefix()).isEqualTo("?");
        assertThat(b.guildConfig().stats().l2Hits()).isEqualTo(1);
        assertThat(b.guildConfig().stats().dbLoads()).isZero();
    }

    @Test
    void unconfiguredGuildGetsDefaultsAndFirstWriteCreatesTheRow() {
        long guild = newGuildId();
        DataLayer a = shard();
        Versioned<GuildSettings> loaded = a.guildConfig().load(guild);
        assertThat(loaded.revision()).isZero();
        assertThat(loaded.value()).isEqualTo(GuildSettings.defaults());

        Versioned<GuildSettings> written = a.guildConfig().update(guild, s -> s.withLanguage("de"));
        assertThat(written.revision()).isEqualTo(1);
        assertThat(shard().guildConfig().load(guild).value().language()).isEqualTo("de");
    }

    @Test
    void l1ThenRedisExpireAfterTheirTtls() throws Exception {
        long guild = newGuildId();
        writeBehindTheCaches(guild, "old");
        DataLayer a = shard(new LocalCacheConfig(100, Duration.ofMillis(300), 100, Duration.ofMillis(300)), 2);
        assertThat(a.guildConfig().load(guild).value().prefix()).isEqualTo("old");

        writeBehindTheCaches(guild, "new");
        // Within the L1 TTL the stale copy is served from memory.
        assertThat(a.guildConfig().load(guild).value().prefix()).isEqualTo("old");
        assertThat(a.guildConfig().stats().l1Hits()).isEqualTo(1);

        // After the L1 TTL, Redis (2 s TTL) still has the old value...
        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    String prefix = a.guildConfig().load(guild).value().prefix();
                    return a.guildConfig().stats().l2Hits() == 1 && prefix.equals("old");
                });
        // ...and after the Redis TTL the new row is read from PostgreSQL.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> a.guildConfig().load(guild).value().prefix().equals("new"));
        assertThat(a.guildConfig().stats().dbLoads()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aWriteDropsTheL1CopyInEveryOtherProcess() {
        long guild = newGuildId();
        DataLayer a = shard();
        DataLayer b = shard();
        a.guildConfig().update(guild, s -> s.withPrefix("a!"));
        assertThat(b.guildConfig().load(guild).value().prefix()).isEqualTo("a!");
        assertThat(b.guildConfig().load(guild).value().prefix()).isEqualTo("a!");
        long bDbLoads = b.guildConfig().stats().dbLoads();

        a.guildConfig().update(guild, s -> s.withPrefix("b!"));

        // B's L1 TTL is 60 s: only the pub/sub invalidation can make it see the change this fast.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> b.guildConfig().load(guild).value().prefix().equals("b!"));
        // B re-read from Redis (written through by A), not from PostgreSQL.
        assertThat(b.guildConfig().stats().dbLoads()).isEqualTo(bDbLoads);
        // The writer itself serves the fresh value from L1 without reloading.
        assertThat(a.guildConfig().load(guild).value().prefix()).isEqualTo("b!");
        assertThat(a.guildConfig().stats().dbLoads()).isZero();
    }

    @Test
    void optimisticConflictReappliesTheChangeToTheFreshRowKeepingBothWriters() {
        long guild = newGuildId();
        DataLayer a = shard();
        DataLayer b = shard();
        a.guildConfig().update(guild, s -> s.withPrefix("start"));
        AtomicInteger applications = new AtomicInteger();

        Versioned<GuildSettings> result = a.guildConfig().update(guild, s -> {
            if (applications.incrementAndGet() == 1) {
                // Another shard commits between our read and our write.
                b.guildConfig().update(guild, other -> other.withLanguage("fr"));
            }
            return s.withPrefix("mine");
        });

        assertThat(applications).hasValue(2);
        assertThat(result.value().prefix()).isEqualTo("mine");
        assertThat(result.value().language()).isEqualTo("fr");
        assertThat(result.revision()).isEqualTo(3);
        assertThat(shard().guildConfig().load(guild).value()).isEqualTo(result.value());
    }

    @Test
    void concurrentWritersFromTwoShardsLoseNoChange() throws Exception {
        long guild = newGuildId();
        DataLayer a = shard();
        DataLayer b = shard();
        int writers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String token = "[" + i + "]";
                DataLayer layer = i % 2 == 0 ? a : b;
                futures.add(CompletableFuture.runAsync(
                        () -> layer.guildConfig()
                                .update(
                                        guild,
                                        s -> s.withWelcomeMessage(
                                                (s.welcomeMessage() == null ? "" : s.welcomeMessage()) + token)),
                        pool));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdownNow();
        }
        Versioned<GuildSettings> fresh = shard().guildConfig().load(guild);
        assertThat(fresh.revision()).isEqualTo(writers);
        for (int i = 0; i < writers; i++) {
            assertThat(fresh.value().welcomeMessage()).contains("[" + i + "]");
        }
    }
}
