package dev.chopsticks.discordsim.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.GatewayTestClient;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import dev.chopsticks.discordsim.metrics.SimStats;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where resuming ends: the resume window, the replay buffer, and RESUME's independence from the identify rule. The
 * identify window is long (one IDENTIFY per bucket for the whole class), so each test uses its own shard/bucket.
 */
class GatewayResumeLimitsTest {
    private static final int SHARDS = 4;
    private static final Duration RESUME_TIMEOUT = Duration.ofSeconds(3);
    private static final int BUFFER = 5;

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(SimConfig.builder()
            .guilds(16)
            .maxConcurrency(SHARDS)
            .identifyWindow(Duration.ofMinutes(1))
            .resumeTimeout(RESUME_TIMEOUT)
            .resumeBuffer(BUFFER)
            .build());

    private static DiscordSimulator sim() {
        return SIM.simulator();
    }

    private record Identified(GatewayTestClient client, String sessionId) {}

    private static Identified identify(int shardId) {
        GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl());
        c.awaitOp(Opcode.HELLO);
        c.identify(sim().token(), shardId, SHARDS, Intents.GUILDS | Intents.GUILD_MEMBERS);
        String id = c.awaitDispatch("READY").path("d").path("session_id").asText();
        for (int i = 0; i < sim().guildIdsForShard(shardId, SHARDS).size(); i++) {
            c.awaitDispatch("GUILD_CREATE");
        }
        return new Identified(c, id);
    }

    private static boolean invalidSessionFalse(GatewayTestClient c) {
        return !c.awaitOp(Opcode.INVALID_SESSION).path("d").asBoolean(true);
    }

    @Test
    void resumeIsNeitherPacedByTheIdentifyRuleNorChargedASessionStart() {
        Identified first = identify(0);
        long seq = first.client().lastSeq();
        SimStats before = sim().stats();
        assertThat(sim().dropConnection(0)).isEqualTo(1);
        first.client().close();
        try (GatewayTestClient successor = GatewayTestClient.connect(sim().gatewayUrl())) {
            successor.awaitOp(Opcode.HELLO);
            successor.resume(sim().token(), first.sessionId(), seq); // well inside bucket 0's identify window
            assertThat(successor.awaitDispatch("RESUMED").path("s").asLong()).isEqualTo(seq + 1);
        }
        SimStats after = sim().stats();
        assertThat(after.resumes()).isEqualTo(before.resumes() + 1);
        assertThat(after.identifies()).isEqualTo(before.identifies());
        assertThat(after.sessionStartLimit().remaining())
                .isEqualTo(before.sessionStartLimit().remaining());
        assertThat(after.identify().violations()).isEqualTo(before.identify().violations());
        // The window is in force: an IDENTIFY in bucket 0 now is refused, as the RESUME was not.
        try (GatewayTestClient again = GatewayTestClient.connect(sim().gatewayUrl())) {
            again.awaitOp(Opcode.HELLO);
            again.identify(sim().token(), 0, SHARDS, Intents.GUILDS);
            assertThat(invalidSessionFalse(again)).isTrue();
        }
        assertThat(sim().stats().identify().violations())
                .hasSize(before.identify().violations().size() + 1);
    }

    @Test
    void aSessionLeftAloneLongerThanTheResumeWindowIsGone() {
        Identified first = identify(1);
        long seq = first.client().lastSeq();
        long guildId = sim().guildIdsForShard(1, SHARDS).get(0);
        first.client().close(); // a dropped TCP connection, seen from the client side
        await().atMost(Duration.ofSeconds(5))
                .until(() -> sim().stats().connectionsPerShard().getOrDefault("1/" + SHARDS, 0) == 0);
        assertThat(sim().injectSlashCommand(SlashCommand.of("early", guildId)).deliveredTo())
                .as("inside the window the event is kept")
                .isEqualTo(1);
        await().atMost(RESUME_TIMEOUT.plusSeconds(5)).until(() -> sim().stats().resumableSessions() == 0);
        // Once expired, nothing holds the shard's guilds: injection fails as for a shard that never connected.
        assertThatThrownBy(() -> sim().injectSlashCommand(SlashCommand.of("late", guildId)))
                .isInstanceOf(IllegalStateException.class);
        long failed = sim().stats().failedResumes();
        try (GatewayTestClient successor = GatewayTestClient.connect(sim().gatewayUrl())) {
            successor.awaitOp(Opcode.HELLO);
            successor.resume(sim().token(), first.sessionId(), seq);
            assertThat(invalidSessionFalse(successor)).isTrue();
            assertThat(sim().stats().failedResumes()).isEqualTo(failed + 1);
            // The fallback IDENTIFY goes through the identify rule like any other: bucket 1 is still in its window.
            successor.identify(sim().token(), 1, SHARDS, Intents.GUILDS);
            assertThat(invalidSessionFalse(successor)).isTrue();
        }
    }

    @Test
    void aDetachedSessionWhoseBacklogOutgrowsTheBufferIsInvalidated() {
        Identified first = identify(2);
        long seq = first.client().lastSeq();
        long guildId = sim().guildIdsForShard(2, SHARDS).get(0);
        assertThat(sim().dropConnection(2)).isEqualTo(1);
        first.client().close();
        // BUFFER events since the drop: the buffer holds exactly what the session missed.
        for (int i = 0; i < BUFFER - 1; i++) {
            sim().addMember(guildId, "member" + i);
        }
        assertThat(sim().injectSlashCommand(SlashCommand.of("fits", guildId)).deliveredTo())
                .isEqualTo(1);
        sim().addMember(guildId, "one-too-many"); // would push out a frame no socket ever got
        assertThatThrownBy(() -> sim().injectSlashCommand(SlashCommand.of("lost", guildId)))
                .isInstanceOf(IllegalStateException.class);
        try (GatewayTestClient successor = GatewayTestClient.connect(sim().gatewayUrl())) {
            successor.awaitOp(Opcode.HELLO);
            successor.resume(sim().token(), first.sessionId(), seq);
            assertThat(invalidSessionFalse(successor)).isTrue();
        }
    }
}
