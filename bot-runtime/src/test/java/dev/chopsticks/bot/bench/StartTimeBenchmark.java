package dev.chopsticks.bot.bench;

import dev.chopsticks.bot.testinfra.BotProcess;
import dev.chopsticks.bot.testinfra.SharedServices;
import dev.chopsticks.discordsim.DiscordSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Process start to {@code /ready} (every shard of the process READY on the simulator, database reachable) for the
 * shaded jar, started as the container starts it, against real PostgreSQL behind PgBouncer and Redis. Prints
 * min/median/max per JVM setting; exits 1 if the single-shard median misses 3 s.
 *
 * <pre>java -cp ... StartTimeBenchmark [runs=5] [shards=1]</pre>
 */
public final class StartTimeBenchmark {
    private static final long TARGET_MS = 3_000;

    private StartTimeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 && !args[0].equals("-") ? Integer.parseInt(args[0]) : 5;
        int shards = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Path archive = Files.createTempDirectory("bot-cds").resolve("bot-runtime.jsa");
        Map<String, List<String>> modes = new LinkedHashMap<>();
        modes.put("default JVM flags", List.of());
        modes.put(
                "AppCDS (-XX:+AutoCreateSharedArchive)",
                List.of("-XX:SharedArchiveFile=" + archive, "-XX:+AutoCreateSharedArchive"));
        // More settings to compare: -Dstart.modes="C1 only=-XX:TieredStopAtLevel=1;serial=-XX:+UseSerialGC"
        for (String extra : System.getProperty("start.modes", "").split(";")) {
            int eq = extra.indexOf('=');
            if (eq > 0) {
                modes.put(
                        extra.substring(0, eq),
                        List.of(extra.substring(eq + 1).trim().split("\\s+")));
            }
        }
        String pg = SharedServices.pgBouncer().postgresUrl();
        String redis = SharedServices.redis().url();
        boolean pass = true;
        try (DiscordSimulator sim =
                DiscordSimulator.builder().guilds(100).maxConcurrency(shards).start()) {
            System.out.printf(
                    Locale.ROOT,
                    "start to /ready: %s, %d shard(s), %d runs per setting, java %s, %d CPUs%n",
                    BotProcess.jar(),
                    shards,
                    runs,
                    System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors());
            for (Map.Entry<String, List<String>> mode : modes.entrySet()) {
                boolean training = mode.getValue().stream().anyMatch(f -> f.contains("AutoCreateSharedArchive"));
                if (training) {
                    long first = startOnce(sim, shards, pg, redis, mode.getValue());
                    System.out.printf(
                            Locale.ROOT,
                            "  %-40s training run (writes the archive at exit): %d ms%n",
                            mode.getKey(),
                            first);
                }
                List<Long> times = new ArrayList<>();
                List<Long> cpu = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    long[] run = startOnceWithCpu(sim, shards, pg, redis, mode.getValue());
                    times.add(run[0]);
                    cpu.add(run[1]);
                }
                long[] sorted =
                        times.stream().mapToLong(Long::longValue).sorted().toArray();
                long[] cpuSorted =
                        cpu.stream().mapToLong(Long::longValue).sorted().toArray();
                long median = sorted[sorted.length / 2];
                System.out.printf(
                        Locale.ROOT,
                        "  %-40s wall: min %5d ms  median %5d ms  max %5d ms %s; process CPU to ready: median %5d ms%n",
                        mode.getKey(),
                        sorted[0],
                        median,
                        sorted[sorted.length - 1],
                        Arrays.toString(sorted),
                        cpuSorted[cpuSorted.length / 2]);
                if (shards == 1 && !training && median > TARGET_MS) {
                    pass = false;
                }
            }
        }
        System.out.println(
                pass ? "target met (single shard, default flags: <= 3 s)" : "TARGET MISSED: single shard median > 3 s");
        System.exit(pass ? 0 : 1);
    }

    private static long startOnce(DiscordSimulator sim, int shards, String pg, String redis, List<String> jvmFlags)
            throws Exception {
        return startOnceWithCpu(sim, shards, pg, redis, jvmFlags)[0];
    }

    /** CPU time (user + system, all threads) the process used so far, from /proc: independent of other load. */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / 100; // USER_HZ is 100 on Linux
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * One process start: {wall ms from spawning the JVM to the first 200 from /ready, CPU ms the process used by
     * then}; then SIGTERM.
     */
    private static long[] startOnceWithCpu(
            DiscordSimulator sim, int shards, String pg, String redis, List<String> jvmFlags) throws Exception {
        int port = BotProcess.freePort();
        Map<String, String> env = new HashMap<>(Map.of(
                "DISCORD_TOKEN", sim.token(),
                "DISCORD_API_BASE_URL", sim.restBaseUrl(),
                "DISCORD_GATEWAY_URL", sim.gatewayUrl(),
                "SHARD_COUNT", Integer.toString(shards),
                "POSTGRES_URL", pg,
                "REDIS_URL", redis,
                "HTTP_PORT", Integer.toString(port),
                "REGISTER_COMMANDS", "false",
                "LOG_LEVEL", "warn"));
        long t0 = System.nanoTime();
        try (BotProcess bot = BotProcess.start(env, jvmFlags, "run")) {
            long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
            while (!bot.ready()) {
                if (!bot.process().isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("bot did not become ready:\n" + bot.output());
                }
                Thread.onSpinWait();
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long cpu = cpuMillis(bot.process().pid());
            bot.process().destroy();
            bot.process().waitFor(30, TimeUnit.SECONDS);
            return new long[] {ms, cpu};
        }
    }
}
