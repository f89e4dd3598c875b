package dev.chopsticks.bot.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.bot.data.CommandStatsRepository;
import dev.chopsticks.bot.data.DataSourceFactory;
import dev.chopsticks.bot.data.Jdbc;
import dev.chopsticks.bot.testinfra.BotProcess;
import dev.chopsticks.bot.testinfra.SharedServices;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.interaction.InteractionOutcome;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import dev.chopsticks.testinfra.RedisProcess;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SIGTERM to the real bot process (the shaded jar): clean gateway closes, counters flushed, exit within the grace. */
class GracefulShutdownIT {
    private static final int SHARDS = 2;
    private static final int GRACE_SECONDS = 10;

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(
            SimConfig.builder().guilds(8).maxConcurrency(SHARDS).build());

    @Test
    void sigtermClosesEverySessionWith1000FlushesCountersAndExitsWithinTheGrace() throws Exception {
        DiscordSimulator sim = SIM.simulator();
        int port = BotProcess.freePort();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (var dataSource = DataSourceFactory.create(
                        SharedServices.postgresConfig(SharedServices.pgBouncer().postgresUrl()), "it", null);
                RedisProcess redis = RedisProcess.start();
                BotProcess bot = BotProcess.start(
                        Map.of(
                                "DISCORD_TOKEN", sim.token(),
                                "DISCORD_API_BASE_URL", sim.restBaseUrl(),
                                "DISCORD_GATEWAY_URL", sim.gatewayUrl(),
                                "SHARD_COUNT", Integer.toString(SHARDS),
                                "POSTGRES_URL", SharedServices.pgBouncer().postgresUrl(),
                                "REDIS_URL", redis.url(),
                                "HTTP_PORT", Integer.toString(port),
                                "SHUTDOWN_GRACE_SECONDS", Integer.toString(GRACE_SECONDS)),
                        List.of("-Xmx256m"),
                        "run")) {
            CommandStatsRepository stats = new CommandStatsRepository(new Jdbc(dataSource));
            long helpBefore = stats.usesOn("help", today);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                assertThat(bot.process().isAlive())
                        .as("bot process alive; output:%n%s", bot.output())
                        .isTrue();
                return bot.ready();
            });
            sim.resetStats();
            // Usage counters are flushed every 10 s: these three are still pending when SIGTERM arrives.
            long guild = sim.guildIdsForShard(0, SHARDS).get(0);
            for (int i = 0; i < 3; i++) {
                InteractionOutcome reply = sim.invoke(SlashCommand.of("help", guild), Duration.ofSeconds(10));
                assertThat(reply.complete()).isTrue();
            }

            long t0 = System.nanoTime();
            bot.process().destroy(); // SIGTERM
            boolean exited = bot.process().waitFor(GRACE_SECONDS + 5, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            Map<Integer, Long> closes = sim.stats().closeCodesReceived();
            System.out.printf(
                    "SIGTERM: exited in %d ms (grace %d s), exit code %s, gateway close codes %s%n",
                    took.toMillis(), GRACE_SECONDS, exited ? bot.process().exitValue() : "-", closes);
            assertThat(exited).as("exited; output:%n%s", bot.output()).isTrue();
            assertThat(took).isLessThan(Duration.ofSeconds(GRACE_SECONDS));
            assertThat(closes).as("clean closes, one per shard").isEqualTo(Map.of(1000, (long) SHARDS));
            assertThat(sim.stats().connectionsPerShard()).isEmpty();
            assertThat(bot.output()).contains("stopped (all gateway sessions closed)");
            assertThat(stats.usesOn("help", today) - helpBefore)
                    .as("pending usage counters flushed")
                    .isEqualTo(3);
        }
    }
}
