package dev.chopsticks.discordsim;

import dev.chopsticks.discordsim.gateway.Intents;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar discord-sim.jar --guilds 20000 --port 8090 --max-concurrency 1 --token ...}
 */
public final class DiscordSimMain {
    private static final String USAGE = """
            Usage: java -jar discord-sim.jar [options]
              --port N                 listen port (default 8090)
              --host ADDR              bind address (default 0.0.0.0)
              --public-url URL         URL clients are told to use, e.g. http://discord-sim:8090
              --token T                bot token (default sim-bot-token)
              --guilds N               guilds in the world (default 1000)
              --members-per-guild N    members besides the bot (default 3)
              --max-concurrency N      session_start_limit.max_concurrency (default 1)
              --identify-window-ms N   identify bucket window (default 5000)
              --session-start-total N  daily session-start budget (default 1000)
              --heartbeat-interval-ms N  (default 41250)
              --max-guilds-per-shard N   above this IDENTIFY closes with 4011 (default 2500)
              --global-rate-limit N    HTTP requests per second per token (default 50)
              --resume-timeout-ms N    how long a disconnected session stays resumable (default 180000)
              --resume-buffer N        dispatches kept per session for RESUME replay (default 10000)
              --privileged-intents L   privileged intents the bot is approved for: none, all (default), or a
                                       comma-separated list of members, presence, message_content; an IDENTIFY
                                       asking for others is closed with 4014
            """;

    private DiscordSimMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "discord-sim-logback.xml");
        }
        SimConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        DiscordSimulator sim = DiscordSimulator.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            sim.close();
                            stopped.countDown();
                        },
                        "discord-sim-shutdown"));
        stopped.await();
    }

    static SimConfig parse(String[] args) {
        SimConfig.Builder b = SimConfig.builder().host("0.0.0.0").port(8090).guilds(1_000);
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException("discord-sim");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Missing value for " + flag);
            }
            String v = args[++i];
            switch (flag) {
                case "--port" -> b.port(Integer.parseInt(v));
                case "--host" -> b.host(v);
                case "--public-url" -> b.publicUrl(v);
                case "--token" -> b.token(v);
                case "--guilds" -> b.guilds(Integer.parseInt(v));
                case "--members-per-guild" -> b.membersPerGuild(Integer.parseInt(v));
                case "--max-concurrency" -> b.maxConcurrency(Integer.parseInt(v));
                case "--identify-window-ms" -> b.identifyWindow(Duration.ofMillis(Long.parseLong(v)));
                case "--session-start-total" -> b.sessionStartTotal(Integer.parseInt(v));
                case "--heartbeat-interval-ms" -> b.heartbeatInterval(Duration.ofMillis(Long.parseLong(v)));
                case "--max-guilds-per-shard" -> b.maxGuildsPerShard(Integer.parseInt(v));
                case "--global-rate-limit" -> b.globalRateLimit(Integer.parseInt(v));
                case "--resume-timeout-ms" -> b.resumeTimeout(Duration.ofMillis(Long.parseLong(v)));
                case "--resume-buffer" -> b.resumeBuffer(Integer.parseInt(v));
                case "--privileged-intents" -> b.allowedPrivilegedIntents(privilegedIntents(v));
                default -> throw new IllegalArgumentException("Unknown option " + flag);
            }
        }
        return b.build();
    }

    /** {@code none}, {@code all}, or a comma-separated list of {@code members}, {@code presence}, {@code message_content}. */
    static int privilegedIntents(String value) {
        int bits = 0;
        for (String name : value.toLowerCase(Locale.ROOT).split(",", -1)) {
            bits |= switch (name.strip()) {
                case "none" -> 0;
                case "all" -> Intents.PRIVILEGED;
                case "members", "guild_members" -> Intents.GUILD_MEMBERS;
                case "presence", "presences", "guild_presences" -> Intents.GUILD_PRESENCES;
                case "message_content" -> Intents.MESSAGE_CONTENT;
                default ->
                    throw new IllegalArgumentException(
                            "Unknown privileged intent '" + name + "' (none, all, members, presence, message_content)");
            };
        }
        return bits;
    }
}
