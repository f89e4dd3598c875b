package dev.chopsticks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JVM start-up cache the bot's "image" ships with, as a container build would bake it in: one training run of a
 * real bot (start, identify, answer a few slash commands, SIGTERM) records what it loads, and every bot process then
 * starts from the cache. On JDK 25+ that is an AOT cache (JEP 483/514/515: classes loaded and linked, method profiles)
 * and otherwise a dynamic AppCDS archive. It matters here because 20+ bot JVMs share 2 cores: a start costs about
 * 4.5 CPU-seconds cold, and a rolling step restarts several at once.
 */
final class BotStartupCache {
    private static final Path DIR =
            E2eCluster.REPO.resolve("hack/e2e/target").toAbsolutePath().normalize();
    private static final boolean AOT = Runtime.version().feature() >= 25;
    private static final Path FILE = DIR.resolve(AOT ? "bot-runtime.aot" : "bot-runtime.jsa");

    private BotStartupCache() {}

    /** JVM options that use the cache (ignored with a warning if it is missing or stale: the bot still starts). */
    static List<String> jvmOptions() {
        return AOT
                ? List.of("-XX:AOTCache=" + FILE, "-Xlog:aot=off", "-Xlog:cds=off")
                : List.of("-XX:SharedArchiveFile=" + FILE, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /**
     * The bot JVM's options besides the cache: C1 only, a small serial heap (many bots, few cores), and the image's
     * metaspace threshold (bot-runtime/pom.xml: without it a start runs three full GCs).
     */
    static List<String> baseOptions() {
        return List.of("-Xmx256m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:MetaspaceSize=128m");
    }

    /** Trains the cache unless one newer than the bot jar exists. {@code env} is a shard pod's environment. */
    static void ensure(DiscordSimulator discord, Map<String, String> env) throws Exception {
        Path jar = RealBots.botJar();
        if (Files.exists(FILE) && Files.getLastModifiedTime(FILE).compareTo(Files.getLastModifiedTime(jar)) > 0) {
            return;
        }
        Files.deleteIfExists(FILE);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(baseOptions());
        command.add(AOT ? "-XX:AOTCacheOutput=" + FILE : "-XX:ArchiveClassesAtExit=" + FILE);
        command.addAll(List.of("-jar", jar.toString(), "run"));
        Path log = DIR.resolve("bot-startup-cache-training.log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("HTTP_PORT", Integer.toString(port));
        Process bot = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        assertThat(bot.isAlive())
                                .as("training bot alive, see %s", log)
                                .isTrue();
                        return ready(http, port);
                    });
            long guild = discord.guildIdsForShard(0, Integer.parseInt(env.get("SHARD_COUNT")))
                    .get(0);
            for (String name : List.of("ping", "balance", "ping", "balance")) {
                assertThat(discord.invoke(SlashCommand.of(name, guild), Duration.ofSeconds(10))
                                .complete())
                        .as("training /%s answered", name)
                        .isTrue();
            }
        } finally {
            bot.destroy(); // SIGTERM: a clean exit writes the cache
            if (!bot.waitFor(3, TimeUnit.MINUTES)) {
                bot.destroyForcibly();
            }
        }
        assertThat(FILE).as("start-up cache written, see %s", log).exists();
    }

    private static boolean ready(HttpClient http, int port) {
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
