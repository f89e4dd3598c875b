package dev.chopsticks.local;

import dev.chopsticks.bot.BotApplication;
import dev.chopsticks.bot.LogLevels;
import dev.chopsticks.bot.Main;
import dev.chopsticks.bot.config.BotConfig;
import dev.chopsticks.bot.config.ConfigException;
import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.bot.config.PostgresConfig;
import dev.chopsticks.bot.data.Migrations;
import dev.chopsticks.bot.lifecycle.ShutdownWatchdog;
import dev.chopsticks.bot.lifecycle.Teardown;
import dev.chopsticks.discordsim.DiscordSimulator;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar chopsticks-local.jar [--shards N]}: the whole bot on one machine, no Discord account and no URLs
 * needed. An in-process Discord simulator (max_concurrency = N, so every shard identifies at once), an embedded
 * PostgreSQL (migrated) unless {@code POSTGRES_URL} is set, a redis-server child process if one is on the PATH (else no
 * L2) unless {@code REDIS_URL} is set, and N shards in this process. Prints how to talk to it.
 */
public final class LocalMode {
    private LocalMode() {}

    public static void main(String[] args) {
        Main.launch("local mode", LocalMode::run, args);
    }

    static int run(EnvReader env, String[] args) throws Exception {
        int shards = shards(args);
        int guilds = env.intInRange("SIM_GUILDS", 20, 1, 100_000);
        int simPort = env.intInRange("SIM_PORT", 8090, 0, 65_535);
        Teardown teardown = new Teardown();
        try {
            DiscordSimulator sim = teardown.add(
                    "discord simulator",
                    DiscordSimulator.builder()
                            .port(simPort)
                            .guilds(guilds)
                            .maxConcurrency(shards)
                            .start());
            Map<String, String> overlay = new HashMap<>(System.getenv());
            overlay.put("DISCORD_TOKEN", sim.token());
            overlay.put("DISCORD_API_BASE_URL", sim.restBaseUrl());
            overlay.put("DISCORD_GATEWAY_URL", sim.gatewayUrl());
            overlay.put("SHARD_COUNT", Integer.toString(shards));
            overlay.remove("SHARD_IDS");
            overlay.remove("SHARDS_PER_POD");
            overlay.put("SHARD_STATUS_REPORTING", "false");
            // Quiet by default so the instructions below stand out; LOG_LEVEL=info shows the usual logs.
            overlay.putIfAbsent("LOG_LEVEL", "warn");
            if (env.optional("POSTGRES_URL").isEmpty()) {
                overlay.put("POSTGRES_URL", LocalServices.startPostgres(teardown));
                Migrations.migrate(PostgresConfig.fromEnv(new EnvReader(overlay)));
            }
            if (env.optional("REDIS_URL").isEmpty()
                    && env.optional("REDIS_CLUSTER_NODES").isEmpty()) {
                LocalServices.startRedisIfAvailable(teardown).ifPresent(url -> overlay.put("REDIS_URL", url));
            }
            BotConfig config = BotConfig.fromEnv(new EnvReader(overlay));
            LogLevels.apply(config.logLevel());
            BotApplication app = teardown.add("bot", BotApplication.start(config, BotApplication.Tuning.defaults()));
            printWelcome(System.out, sim, app, shards, overlay.containsKey("REDIS_URL"));
        } catch (Exception | Error e) {
            teardown.close();
            throw e;
        }
        ShutdownWatchdog.awaitSignalThenRun(teardown::close, Duration.ofSeconds(25));
        return 0;
    }

    static int shards(String[] args) {
        List<String> list = List.of(args);
        if (list.isEmpty()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(list.get(1));
            if (list.size() == 2 && list.get(0).equals("--shards") && n >= 1 && n <= 64) {
                return n;
            }
        } catch (RuntimeException ignored) {
            // reported below
        }
        throw new ConfigException("--shards", "must be an integer from 1 to 64 (the only argument)");
    }

    static void printWelcome(PrintStream out, DiscordSimulator sim, BotApplication app, int shards, boolean redis) {
        long guild = sim.world().guilds().stream().mapToLong(g -> g.id()).min().orElse(0);
        String control = sim.httpUrl() + "/_sim";
        out.println();
        out.println("Chopsticks is running locally: " + shards + " shard(s), "
                + sim.world().guildCount() + " simulated guilds, PostgreSQL"
                + (redis ? " + Redis" : " (no Redis on PATH: L1 cache only)") + ".");
        out.println("  ops:        http://127.0.0.1:" + app.httpPort() + "/ready   /metrics   /health");
        out.println("  simulator:  " + sim.httpUrl() + "  (Discord API and gateway; control API under /_sim)");
        out.println("Send a slash command as a user of guild " + Long.toUnsignedString(guild)
                + ", then read the bot's reply:");
        out.println("  curl -s -X POST " + control + "/interactions -H 'Content-Type: application/json' \\");
        out.println("       -d '{\"name\":\"ping\",\"guildId\":" + Long.toUnsignedString(guild) + "}'");
        out.println("  curl -s '" + control + "/interactions/<id from the answer>?timeout_ms=3000'");
        out.println("Other commands: help, balance, daily, config (subcommands), stats. Ctrl-C stops everything.");
        out.flush();
    }
}
