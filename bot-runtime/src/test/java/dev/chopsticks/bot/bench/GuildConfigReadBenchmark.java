package dev.chopsticks.bot.bench;

import dev.chopsticks.bot.cache.CacheMetrics;
import dev.chopsticks.bot.cache.JsonCodec;
import dev.chopsticks.bot.cache.LayeredCache;
import dev.chopsticks.bot.cache.Versioned;
import dev.chopsticks.bot.config.LocalCacheConfig;
import dev.chopsticks.bot.data.GuildConfigStore;
import dev.chopsticks.bot.data.GuildSettings;
import dev.chopsticks.bot.data.GuildSettingsRepository;
import dev.chopsticks.bot.data.Jdbc;
import dev.chopsticks.bot.data.Json;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code loadGuildData} when the guild is in L1 (target ≤ 1 µs), through the production GuildConfigStore and
 * LayeredCache with Prometheus-backed hit counters. The repository is never reached on this path.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class GuildConfigReadBenchmark {
    static final int HOT_GUILDS = 2000;

    private GuildConfigStore store;

    @Setup
    public void setUp() {
        LocalCacheConfig local = LocalCacheConfig.defaults();
        LayeredCache<GuildSettings> cache = new LayeredCache<>(
                "guild",
                local.guildMax(),
                Duration.ofHours(1),
                null,
                null,
                Duration.ofSeconds(30),
                new JsonCodec<>(Json.MAPPER, GuildSettings.class),
                new CacheMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), "guild"));
        store = new GuildConfigStore(new GuildSettingsRepository(new Jdbc(null)), cache);
        for (long id = 0; id < HOT_GUILDS; id++) {
            cache.written(id, new Versioned<>(GuildSettings.defaults().withPrefix("p" + id), 1));
        }
    }

    @Benchmark
    public GuildSettings sameGuild() {
        return store.load(42L).value();
    }

    @Benchmark
    public GuildSettings randomHotGuild() {
        return store.load(ThreadLocalRandom.current().nextLong(HOT_GUILDS)).value();
    }

    @Benchmark
    @Threads(2)
    public GuildSettings randomHotGuildTwoThreads() {
        return store.load(ThreadLocalRandom.current().nextLong(HOT_GUILDS)).value();
    }
}
