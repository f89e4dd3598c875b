package dev.chopsticks.bot.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.bot.testinfra.BotProcess;
import dev.chopsticks.bot.testinfra.SharedServices;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.interaction.InteractionOutcome;
import dev.chopsticks.discordsim.interaction.InteractionRef;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import dev.chopsticks.discordsim.metrics.SimStats;
import dev.chopsticks.testinfra.RedisProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shard sessions outlive the bot process (issue 18): real bot processes (the shaded jar, {@code GATEWAY_RELAY=true})
 * one after the other on the same Redis, against the simulator's resume model. A process stopped by SIGTERM or
 * SIGKILL is followed by one that RESUMEs every shard (no IDENTIFY) and answers the interaction Discord replays
 * to it; a successor that comes after the resume window identifies through the queue instead.
 *
 * <p>Scaled simulator: an interaction may be acknowledged within 60 s instead of Discord's 3 s, so that one injected
 * while no process runs can still be answered after the next JVM start; the session stays resumable for 8 s so
 * the expiry case is quick.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionHandOffIT {
    private static final int SHARDS = 2;
    private static final Duration RESUME_TIMEOUT = Duration.ofSeconds(8);

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(SimConfig.builder()
            .guilds(8)
            .maxConcurrency(SHARDS)
            .resumeTimeout(RESUME_TIMEOUT)
            .interactionAckDeadline(Duration.ofSeconds(60))
            .build());

    private static RedisProcess redis;
    private static BotProcess bot;

    @BeforeAll
    static void firstProcessIdentifies() {
        redis = RedisProcess.start();
        bot = startBot();
        awaitServing(bot);
        assertThat(sim().stats().identifies()).isEqualTo(SHARDS);
    }

    @AfterAll
    static void stop() {
        if (bot != null) {
            bot.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    @Order(1)
    void afterSigtermTheNextProcessResumesEveryShardAndGetsWhatWasSentMeanwhile() throws Exception {
        sim().resetStats();
        bot.process().destroy(); // SIGTERM: the relay saves and drops each session without a 1000 close
        assertThat(bot.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sim().stats().closeCodesReceived()).doesNotContainKeys(1000, 1001);

        handOverAndCheck("SIGTERM");
    }

    @Test
    @Order(2)
    void afterSigkillTheNextProcessResumesFromTheLastSavedSequence() throws Exception {
        sim().resetStats();
        // Answered just before the kill, most likely after the last save (every 100 ms): replayed to the successor,
        // whose claim in Redis finds it answered.
        assertThat(answer(guild(0))).isNotNull();
        bot.process().destroyForcibly(); // SIGKILL: no goodbye, the last save is what is left
        assertThat(bot.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

        handOverAndCheck("SIGKILL");
    }

    @Test
    @Order(3)
    void aSuccessorAfterTheResumeWindowIdentifiesThroughTheQueue() throws Exception {
        bot.process().destroyForcibly();
        assertThat(bot.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        bot.close();
        sim().resetStats();
        // Until the simulator has forgotten both sessions (its resume window passed).
        await().atMost(RESUME_TIMEOUT.multipliedBy(3)).until(() -> sim().stats().resumableSessions() == 0);

        bot = startBot();
        awaitServing(bot);

        SimStats stats = sim().stats();
        System.out.printf(
                "hand-off after the resume window: identifies %d, resumes %d, failed resumes %d, violations %d%n",
                stats.identifies(),
                stats.resumes(),
                stats.failedResumes(),
                stats.identify().violations().size());
        assertThat(stats.failedResumes())
                .as("the saved sessions were tried and refused")
                .isEqualTo(SHARDS);
        assertThat(stats.identifies()).isEqualTo(SHARDS);
        assertThat(stats.identify().violations()).isEmpty();
        assertThat(answer(guild(0))).isNotNull();
    }

    /** The previous process is gone; one interaction per shard waits on the simulator; the next process starts. */
    private static void handOverAndCheck(String how) {
        bot.close();
        List<InteractionRef> waiting = List.of(
                sim().injectSlashCommand(SlashCommand.of("ping", guild(0))),
                sim().injectSlashCommand(SlashCommand.of("ping", guild(1))));
        long t0 = System.nanoTime();
        bot = startBot();
        for (InteractionRef ref : waiting) {
            InteractionOutcome replayed = sim().awaitReply(ref.id(), Duration.ofSeconds(60));
            assertThat(replayed.complete())
                    .as("interaction %d sent while no process ran; bot output:%n%s", ref.id(), bot.output())
                    .isTrue();
        }
        long answeredMs = (System.nanoTime() - t0) / 1_000_000;
        awaitServing(bot);

        SimStats stats = sim().stats();
        System.out.printf(
                "hand-off after %s: identifies %d, resumes %d, failed %d, dispatches replayed %d, "
                        + "interactions sent while down answered %d ms after the start, max dispatch wait %d ms%n",
                how,
                stats.identifies(),
                stats.resumes(),
                stats.failedResumes(),
                stats.dispatchesReplayed(),
                answeredMs,
                stats.maxDispatchDeliveryWaitMs());
        assertThat(stats.identifies()).as("no IDENTIFY: every shard resumed").isZero();
        assertThat(stats.resumes()).isEqualTo(SHARDS);
        assertThat(stats.failedResumes()).isZero();
        assertThat(stats.dispatchesReplayed()).isGreaterThanOrEqualTo(waiting.size());
        assertThat(stats.duplicateAcknowledgements())
                .as("each interaction answered once")
                .isZero();
        assertThat(answer(guild(0))).isNotNull();
        assertThat(answer(guild(1))).isNotNull();
    }

    private static String answer(long guildId) {
        return sim().invoke(SlashCommand.of("ping", guildId), Duration.ofSeconds(10))
                .content();
    }

    private static long guild(int shard) {
        return sim().guildIdsForShard(shard, SHARDS).get(0);
    }

    private static void awaitServing(BotProcess process) {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            assertThat(process.process().isAlive())
                    .as("bot process alive; output:%n%s", process.output())
                    .isTrue();
            return process.ready();
        });
    }

    private static BotProcess startBot() {
        Map<String, String> env = new HashMap<>(Map.of(
                "DISCORD_TOKEN", sim().token(),
                "DISCORD_API_BASE_URL", sim().restBaseUrl(),
                "DISCORD_GATEWAY_URL", sim().gatewayUrl(),
                "SHARD_COUNT", Integer.toString(SHARDS),
                "POSTGRES_URL", SharedServices.pgBouncer().postgresUrl(),
                "REDIS_URL", redis.url(),
                "HTTP_PORT", Integer.toString(BotProcess.freePort()),
                "GATEWAY_RELAY", "true",
                "GATEWAY_RESUME_WINDOW_SECONDS", "600"));
        env.put("SHUTDOWN_GRACE_SECONDS", "10");
        return BotProcess.start(env, List.of("-Xmx256m"), "run");
    }

    private static DiscordSimulator sim() {
        return SIM.simulator();
    }
}
