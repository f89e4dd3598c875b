package dev.chopsticks.bot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.OperatingSystemMXBean;
import dev.chopsticks.bot.BotApplication;
import dev.chopsticks.bot.LogLevels;
import dev.chopsticks.bot.cache.CacheStats;
import dev.chopsticks.bot.config.BotConfig;
import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.bot.gateway.Gateway;
import dev.chopsticks.bot.testinfra.SharedServices;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.interaction.CommandOption;
import dev.chopsticks.discordsim.interaction.InteractionOutcome;
import dev.chopsticks.discordsim.interaction.InteractionReply;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.discordsim.world.SimGuild;
import dev.chopsticks.testinfra.PgBouncerProcess;
import dev.chopsticks.testinfra.PostgresProcess;
import dev.chopsticks.testinfra.RedisProcess;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * End to end: the simulator injects slash commands at a fixed rate (open loop) into a bot running 8 shards, guilds
 * drawn Zipf(s=1) from 20,000, with real PostgreSQL behind PgBouncer (transaction mode) and real Redis. Reports
 * throughput, injection-to-final-reply latency percentiles, cache hit rates per layer, errors and the peak number of
 * PostgreSQL server connections (pg_stat_activity). Exit code 1 if a target is missed (p99 <= 20 ms at the rate, 0
 * errors, <= 25 server connections).
 *
 * <pre>java -cp ... InteractionBenchmark [rate=1000] [seconds=30]</pre>
 */
public final class InteractionBenchmark {
    static final int GUILDS = 20_000;
    static final int SHARDS = 8;
    static final int POOL = 20;
    static final Duration WARMUP = Duration.ofSeconds(15);
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    /** The command mix: reads dominate, as on a real bot. Percentages. */
    enum Kind {
        CONFIG_VIEW(45),
        CONFIG_SET(5),
        BALANCE(25),
        DAILY(10),
        PAY(10),
        PING(5);

        final int percent;

        Kind(int percent) {
            this.percent = percent;
        }
    }

    private InteractionBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 && !args[0].equals("-") ? Integer.parseInt(args[0]) : 1_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        PostgresProcess pg = SharedServices.postgres();
        boolean pass;
        try (PgBouncerProcess bouncer = PgBouncerProcess.start(pg, POOL);
                RedisProcess redis = RedisProcess.start();
                DiscordSimulator sim = DiscordSimulator.builder()
                        .guilds(GUILDS)
                        .maxConcurrency(SHARDS)
                        .start();
                ConnectionPeak peak = new ConnectionPeak(pg)) {
            Map<String, String> env = new HashMap<>();
            env.put("POSTGRES_URL", bouncer.postgresUrl());
            env.put("REDIS_URL", redis.url());
            env.put("DISCORD_TOKEN", sim.token());
            env.put("DISCORD_API_BASE_URL", sim.restBaseUrl());
            env.put("DISCORD_GATEWAY_URL", sim.gatewayUrl());
            env.put("SHARD_COUNT", Integer.toString(SHARDS));
            env.put("HTTP_PORT", "0");
            env.put("PG_POOL_MAX", "10");
            env.put("LOG_LEVEL", "warn");
            // Any bot setting can be overridden: -Denv.LOCAL_CACHE_GUILD_MAX=20000
            System.getProperties().stringPropertyNames().stream()
                    .filter(k -> k.startsWith("env."))
                    .forEach(k -> env.put(k.substring(4), System.getProperty(k)));
            BotConfig config = BotConfig.fromEnv(new EnvReader(env));
            LogLevels.apply("warn");
            long[] guildIds = sim.world().guilds().stream()
                    .mapToLong(SimGuild::id)
                    .sorted()
                    .toArray();
            try (BotApplication app = BotApplication.start(config, BotApplication.Tuning.defaults())) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!Gateway.allConnected(app.shards())) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("shards not READY");
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
                double[] cdf = ZipfHitRateBenchmark.zipfCdf(GUILDS, 1.0);
                System.out.printf(
                        Locale.ROOT,
                        "interactions: %d/s for %d s (after %d s warm-up), %d shards, %d guilds Zipf(s=1),"
                                + " mix %s, PgBouncer transaction pool %d, PG_POOL_MAX %d, LOCAL_CACHE_GUILD_MAX %d, %d CPUs%n",
                        rate,
                        seconds,
                        WARMUP.toSeconds(),
                        SHARDS,
                        GUILDS,
                        mix(),
                        POOL,
                        config.postgres().poolMax(),
                        config.localCache().guildMax(),
                        Runtime.getRuntime().availableProcessors());
                run(sim, guildIds, cdf, rate, WARMUP, new Run(), 1);
                Map<String, CacheStats> before = caches(app);
                peak.reset();
                Run measured = new Run();
                var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                long lag = run(sim, guildIds, cdf, rate, Duration.ofSeconds(seconds), measured, 2);
                double elapsed = (System.nanoTime() - t0) / 1e9;
                double cpuPerInteraction = (os.getProcessCpuTime() - cpu0) / 1e3 / Math.max(1, measured.answered.sum());
                System.out.printf(
                        Locale.ROOT,
                        "JVM CPU (bot + simulator + injector) per interaction: %.0f us; host load average %.1f%n",
                        cpuPerInteraction,
                        os.getSystemLoadAverage());
                pass = report(measured, rate, elapsed, lag, before, caches(app), peak.max());
            }
        }
        System.exit(pass ? 0 : 1);
    }

    /** Counters of one phase. */
    static final class Run {
        final Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(30), 3);
        final LongAdder answered = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder timeouts = new LongAdder();
        final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
        final AtomicInteger outstanding = new AtomicInteger();
        long injected;
    }

    /** Injects for {@code duration} at {@code rate}; returns the worst injection lag behind schedule (ms). */
    static long run(
            DiscordSimulator sim, long[] guildIds, double[] cdf, int rate, Duration duration, Run run, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long period = 1_000_000_000L / rate;
        long total = duration.toSeconds() * rate;
        long start = System.nanoTime();
        long worstLag = 0;
        for (long i = 0; i < total; i++) {
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 50_000) {
                LockSupport.parkNanos(wait - 20_000);
            }
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            worstLag = Math.max(worstLag, System.nanoTime() - due);
            long guild = guildIds[zipf(cdf, random.nextDouble())];
            SlashCommand command = command(sim, guild, pick(random), random);
            long id = sim.injectSlashCommand(command).id();
            run.injected++;
            run.outstanding.incrementAndGet();
            sim.replyFuture(id)
                    .orTimeout(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((outcome, error) -> {
                        run.outstanding.decrementAndGet();
                        if (error != null || outcome == null || !outcome.complete()) {
                            run.timeouts.increment();
                            run.errors.increment();
                            run.errorKinds
                                    .computeIfAbsent(
                                            "no reply within " + REPLY_TIMEOUT.toSeconds() + " s", k -> new LongAdder())
                                    .increment();
                            return;
                        }
                        run.answered.increment();
                        run.latency.recordValue(
                                Math.max(1, outcome.finalResponse().toNanos() / 1_000));
                        String failure = systemError(outcome);
                        if (failure != null) {
                            run.errors.increment();
                            run.errorKinds
                                    .computeIfAbsent(failure, k -> new LongAdder())
                                    .increment();
                        }
                    });
        }
        long drain = System.nanoTime() + REPLY_TIMEOUT.toNanos() + TimeUnit.SECONDS.toNanos(1);
        while (run.outstanding.get() > 0 && System.nanoTime() < drain) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return worstLag / 1_000_000;
    }

    static String mix() {
        StringBuilder sb = new StringBuilder();
        for (Kind k : Kind.values()) {
            sb.append(sb.isEmpty() ? "" : " ")
                    .append(k.name().toLowerCase(Locale.ROOT))
                    .append(' ')
                    .append(k.percent)
                    .append('%');
        }
        return sb.toString();
    }

    static int zipf(double[] cdf, double u) {
        int i = Arrays.binarySearch(cdf, u);
        return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
    }

    static Kind pick(SplittableRandom random) {
        int r = random.nextInt(100);
        for (Kind k : Kind.values()) {
            if (r < k.percent) {
                return k;
            }
            r -= k.percent;
        }
        return Kind.PING;
    }

    static SlashCommand command(DiscordSimulator sim, long guild, Kind kind, SplittableRandom random) {
        return switch (kind) {
            case CONFIG_VIEW -> SlashCommand.of("config", guild).withOptions(CommandOption.subcommand("view"));
            case CONFIG_SET ->
                SlashCommand.of("config", guild)
                        .withOptions(CommandOption.subcommand(
                                "set", CommandOption.string("prefix", "!" + (char) ('a' + random.nextInt(26)))));
            case BALANCE -> SlashCommand.of("balance", guild);
            case DAILY -> SlashCommand.of("daily", guild);
            case PAY -> {
                SimGuild g = sim.world().guild(guild).orElseThrow();
                long to = g.members().get(2).user().id();
                yield SlashCommand.of("pay", guild)
                        .withOptions(CommandOption.user("user", to), CommandOption.integer("amount", 1));
            }
            case PING -> SlashCommand.of("ping", guild);
        };
    }

    /** The embeds the bot sends when it could not do the job (business refusals like "not enough coins" are answers). */
    static String systemError(InteractionOutcome outcome) {
        List<InteractionReply> replies = outcome.replies();
        InteractionReply last = replies.get(replies.size() - 1);
        JsonNode body =
                last.kind() == InteractionReply.Kind.CALLBACK ? last.payload().path("data") : last.payload();
        for (JsonNode e : body.path("embeds")) {
            String title = e.path("title").asText("");
            String description = e.path("description").asText("");
            if (title.contains("Storage unavailable")
                    || title.contains("Busy")
                    || title.contains("Taking longer")
                    || description.contains("Something went wrong")) {
                return title + ": " + description;
            }
        }
        return null;
    }

    static Map<String, CacheStats> caches(BotApplication app) {
        return Map.of(
                "guild",
                app.data().guildConfig().stats(),
                "user",
                app.data().userData().stats());
    }

    static boolean report(
            Run run,
            int rate,
            double elapsed,
            long lagMs,
            Map<String, CacheStats> before,
            Map<String, CacheStats> after,
            int peakConnections) {
        Histogram h = run.latency;
        double throughput = run.answered.sum() / elapsed;
        System.out.printf(
                Locale.ROOT,
                "injected %d, answered %d (%.0f/s), errors %d (timeouts %d), worst injection lag %d ms%n",
                run.injected,
                run.answered.sum(),
                throughput,
                run.errors.sum(),
                run.timeouts.sum(),
                lagMs);
        run.errorKinds.forEach((k, v) -> System.out.printf(Locale.ROOT, "  error: %dx %s%n", v.sum(), k));
        System.out.printf(
                Locale.ROOT,
                "injection -> final reply: p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms%n",
                h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(90) / 1e3,
                h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3,
                h.getMaxValue() / 1e3);
        for (String cache : List.of("guild", "user")) {
            CacheStats b = before.get(cache);
            CacheStats a = after.get(cache);
            long l1h = a.l1Hits() - b.l1Hits();
            long l1m = a.l1Misses() - b.l1Misses();
            long l2h = a.l2Hits() - b.l2Hits();
            long l2m = a.l2Misses() - b.l2Misses() + a.l2Errors() - b.l2Errors();
            long db = a.dbLoads() - b.dbLoads();
            System.out.printf(
                    Locale.ROOT,
                    "cache %-5s L1 (Caffeine) hit %.1f %% of %d lookups; L2 (Redis) hit %.1f %% of %d;"
                            + " PostgreSQL loads %d%n",
                    cache,
                    pct(l1h, l1h + l1m),
                    l1h + l1m,
                    pct(l2h, l2h + l2m),
                    l2h + l2m,
                    db);
        }
        System.out.printf(
                Locale.ROOT,
                "PostgreSQL server connections: peak %d (pg_stat_activity, client backends)%n",
                peakConnections);
        double p99 = h.getValueAtPercentile(99) / 1e3;
        boolean pass = p99 <= 20 && run.errors.sum() == 0 && peakConnections <= 25 && throughput >= rate * 0.98;
        System.out.printf(
                Locale.ROOT,
                "targets (p99 <= 20 ms at %d/s, 0 errors, <= 25 server connections): %s%n",
                rate,
                pass ? "met" : "MISSED");
        return pass;
    }

    static double pct(long part, long total) {
        return total == 0 ? 0 : 100.0 * part / total;
    }

    /** Polls pg_stat_activity on PostgreSQL itself (not through PgBouncer) and keeps the maximum. */
    static final class ConnectionPeak implements AutoCloseable {
        private final Connection connection;
        private final Thread poller;
        private volatile int max;
        private volatile boolean stop;

        ConnectionPeak(PostgresProcess pg) throws Exception {
            var cfg = SharedServices.postgresConfig(pg.postgresUrl());
            connection = DriverManager.getConnection(
                    cfg.jdbcUrl(),
                    cfg.user().orElse(null),
                    cfg.password().map(p -> p.reveal()).orElse(null));
            poller = new Thread(this::poll, "pg-connection-peak");
            poller.setDaemon(true);
            poller.start();
        }

        private void poll() {
            try (Statement st = connection.createStatement()) {
                while (!stop) {
                    try (ResultSet rs = st.executeQuery(
                            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                                    + " AND datname = current_database() AND pid <> pg_backend_pid()")) {
                        rs.next();
                        int n = rs.getInt(1);
                        if (n > max) {
                            max = n;
                        }
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
            } catch (Exception e) {
                if (!stop) {
                    System.err.println("pg_stat_activity poll failed: " + e);
                }
            }
        }

        void reset() {
            max = 0;
        }

        int max() {
            return max;
        }

        @Override
        public void close() throws Exception {
            stop = true;
            poller.join(2_000);
            connection.close();
        }
    }
}
