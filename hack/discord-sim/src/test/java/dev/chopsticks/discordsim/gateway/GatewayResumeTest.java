package dev.chopsticks.discordsim.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.GatewayTestClient;
import dev.chopsticks.discordsim.HttpTestClient;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.interaction.InteractionOutcome;
import dev.chopsticks.discordsim.interaction.InteractionRef;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import dev.chopsticks.discordsim.metrics.SimStats;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RESUME success and failure, server RECONNECT, invalidation and dropped connections. Each test uses a shard id of
 * its own: sessions of earlier tests may still be resumable.
 */
class GatewayResumeTest {
    private static final int SHARDS = 16;

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(SimConfig.builder()
            .guilds(32)
            .identifyWindow(Duration.ZERO)
            .reconnectGrace(Duration.ofMillis(300))
            .build());

    private static DiscordSimulator sim() {
        return SIM.simulator();
    }

    /** A client identified as {@code shardId}/8 with every GUILD_CREATE consumed. */
    private static GatewayTestClient ready(int shardId, String[] sessionId) {
        GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl());
        c.awaitOp(Opcode.HELLO);
        c.identify(sim().token(), shardId, SHARDS, Intents.GUILDS | Intents.GUILD_MEMBERS);
        sessionId[0] = c.awaitDispatch("READY").path("d").path("session_id").asText();
        for (int i = 0; i < sim().guildIdsForShard(shardId, SHARDS).size(); i++) {
            c.awaitDispatch("GUILD_CREATE");
        }
        return c;
    }

    @Test
    void closeCodesOfClientClosesAreCounted() {
        sim().resetStats();
        String[] session = new String[1];
        GatewayTestClient normal = ready(5, session);
        normal.closeWith(1000);
        GatewayTestClient resumable = ready(6, session);
        resumable.closeWith(4900);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(sim().stats().closeCodesReceived())
                        .containsEntry(1000, 1L)
                        .containsEntry(4900, 1L));
        assertThat(sim().client().stats().closeCodesReceived()).containsEntry(1000, 1L);
    }

    @Test
    void resumeReplaysEventsMissedWhileDisconnectedThenSendsResumed() {
        String[] session = new String[1];
        long lastSeq;
        long guildId = sim().guildIdsForShard(0, SHARDS).get(0);
        try (GatewayTestClient c = ready(0, session)) {
            lastSeq = c.lastSeq();
            assertThat(sim().dropConnection(0)).isEqualTo(1);
            // Wait on the simulator's side: the JDK client may learn of a dropped TCP connection late (it was the
            // source of a flaky timeout), and what matters here is that the server dropped it without a close frame.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> sim().stats().connectionsPerShard().getOrDefault("0/" + SHARDS, 0) == 0);
            assertThat(c.closeFuture().isDone() && c.closeFuture().join().code() >= 4000)
                    .as("no close frame was sent")
                    .isFalse();
        }
        long member = sim().addMember(guildId, "latecomer");
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl())) {
            c.awaitOp(Opcode.HELLO);
            c.resume(sim().token(), session[0], lastSeq);
            JsonNode missed = c.awaitOp(Opcode.DISPATCH);
            assertThat(missed.path("t").asText()).isEqualTo("GUILD_MEMBER_ADD");
            assertThat(missed.path("s").asLong()).isEqualTo(lastSeq + 1);
            assertThat(missed.path("d").path("user").path("id").asText()).isEqualTo(Long.toUnsignedString(member));
            JsonNode resumed = c.awaitOp(Opcode.DISPATCH);
            assertThat(resumed.path("t").asText()).isEqualTo("RESUMED");
            assertThat(resumed.path("s").asLong()).isEqualTo(lastSeq + 2);
        }
        assertThat(sim().stats().resumes()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void resumeOfAnUnknownSessionIsInvalidSession() {
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl())) {
            c.awaitOp(Opcode.HELLO);
            c.resume(sim().token(), "0123456789abcdef0123456789abcdef", 5);
            assertThat(c.awaitOp(Opcode.INVALID_SESSION).path("d").asBoolean(true))
                    .isFalse();
        }
    }

    @Test
    void closingWith1000EndsTheSessionSoResumeFails() {
        String[] session = new String[1];
        long seq;
        try (GatewayTestClient c = ready(1, session)) {
            seq = c.lastSeq();
            c.closeNormally();
            c.awaitClose();
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !sim().stats().connectionsPerShard().containsKey("1/" + SHARDS));
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl())) {
            c.awaitOp(Opcode.HELLO);
            c.resume(sim().token(), session[0], seq);
            assertThat(c.awaitOp(Opcode.INVALID_SESSION).path("d").asBoolean(true))
                    .isFalse();
        }
    }

    @Test
    void closingWithAnotherCodeKeepsTheSessionResumable() {
        String[] session = new String[1];
        long seq;
        try (GatewayTestClient c = ready(2, session)) {
            seq = c.lastSeq();
            c.closeWith(4900); // what JDA sends before resuming
            c.awaitClose();
        }
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl())) {
            c.awaitOp(Opcode.HELLO);
            c.resume(sim().token(), session[0], seq);
            JsonNode resumed = c.awaitDispatch("RESUMED");
            assertThat(resumed.path("s").asLong()).isEqualTo(seq + 1);
        }
    }

    @Test
    void serverReconnectAsksTheClientToResumeAndClosesLaggards() {
        String[] session = new String[1];
        try (GatewayTestClient c = ready(3, session)) {
            assertThat(sim().forceReconnect(3)).isEqualTo(1);
            assertThat(c.awaitOp(Opcode.RECONNECT).path("d").isNull()).isTrue();
            // This client ignores op 7: after the grace period the simulator closes with a resumable code.
            assertThat(c.awaitClose().code()).isEqualTo(4000);
            long seq = c.lastSeq();
            try (GatewayTestClient again = GatewayTestClient.connect(sim().gatewayUrl())) {
                again.awaitOp(Opcode.HELLO);
                again.resume(sim().token(), session[0], seq);
                assertThat(again.awaitDispatch("RESUMED").path("s").asLong()).isEqualTo(seq + 1);
            }
        }
    }

    @Test
    void invalidatedSessionGetsOp9AndMayIdentifyAgainOnTheSameSocket() {
        String[] session = new String[1];
        try (GatewayTestClient c = ready(4, session)) {
            assertThat(sim().invalidateSession(4)).isEqualTo(1);
            assertThat(c.awaitOp(Opcode.INVALID_SESSION).path("d").asBoolean(true))
                    .isFalse();
            c.identify(sim().token(), 4, SHARDS, Intents.GUILDS);
            String fresh = c.awaitDispatch("READY").path("d").path("session_id").asText();
            assertThat(fresh).isNotEqualTo(session[0]);
        }
    }

    @Test
    void resumingFromASecondSocketDropsTheStaleOne() {
        String[] session = new String[1];
        try (GatewayTestClient stale = ready(5, session);
                GatewayTestClient fresh = GatewayTestClient.connect(sim().gatewayUrl())) {
            fresh.awaitOp(Opcode.HELLO);
            fresh.resume(sim().token(), session[0], stale.lastSeq());
            fresh.awaitDispatch("RESUMED");
            // The stale socket is dropped without a close frame; count on the simulator's side (see above).
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> sim().stats().connectionsPerShard().getOrDefault("5/" + SHARDS, 0) == 1);
            List<Long> guilds = sim().guildIdsForShard(5, SHARDS);
            sim().addMember(guilds.get(0), "after-resume");
            assertThat(fresh.awaitDispatch("GUILD_MEMBER_ADD")
                            .path("d")
                            .path("guild_id")
                            .asText())
                    .isEqualTo(Long.toUnsignedString(guilds.get(0)));
        }
    }

    @Test
    void readyCarriesTheResumeUrlAndASuccessorConnectionResumesThereWithoutAnIdentify() {
        String resumeUrl;
        String sessionId;
        long seq;
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl())) {
            c.awaitOp(Opcode.HELLO);
            c.identify(sim().token(), 7, SHARDS, Intents.GUILDS);
            JsonNode ready = c.awaitDispatch("READY").path("d");
            resumeUrl = ready.path("resume_gateway_url").asText();
            sessionId = ready.path("session_id").asText();
            c.awaitDispatch("GUILD_CREATE");
            c.awaitDispatch("GUILD_CREATE");
            seq = c.lastSeq();
        } // the process dies: its socket is aborted, no close frame
        assertThat(resumeUrl).startsWith("ws://");
        SimStats before = sim().stats();
        // The successor knows only what the predecessor handed over: URL, session id, seq.
        try (GatewayTestClient successor = GatewayTestClient.connectRaw(resumeUrl + "/?v=10&encoding=json")) {
            successor.awaitOp(Opcode.HELLO);
            successor.resume(sim().token(), sessionId, seq);
            assertThat(successor.awaitDispatch("RESUMED").path("s").asLong()).isEqualTo(seq + 1);
            SimStats after = sim().stats();
            assertThat(after.identifies()).isEqualTo(before.identifies());
            assertThat(after.resumes()).isEqualTo(before.resumes() + 1);
            assertThat(after.sessionStartLimit().remaining())
                    .as("RESUME spends no session start")
                    .isEqualTo(before.sessionStartLimit().remaining());
            assertThat(after.connectionsPerShard()).containsEntry("7/" + SHARDS, 1);
        }
    }

    @Test
    void closingWith1001EndsTheSessionToo() {
        String[] session = new String[1];
        long seq;
        try (GatewayTestClient c = ready(8, session)) {
            seq = c.lastSeq();
            c.closeWith(1001);
            c.awaitClose();
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !sim().stats().connectionsPerShard().containsKey("8/" + SHARDS));
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl())) {
            c.awaitOp(Opcode.HELLO);
            c.resume(sim().token(), session[0], seq);
            assertThat(c.awaitOp(Opcode.INVALID_SESSION).path("d").asBoolean(true))
                    .isFalse();
        }
    }

    /**
     * The hand-off case: an interaction for a shard whose bot is between processes is not refused; it waits in the
     * session and reaches the successor by replay, which then answers it.
     */
    @Test
    void anInteractionForAShardWithoutAConnectionIsKeptAndReplayedByTheResume() {
        sim().resetStats();
        String[] session = new String[1];
        long seq;
        try (GatewayTestClient c = ready(9, session)) {
            seq = c.lastSeq();
            assertThat(sim().dropConnection(9)).isEqualTo(1);
        }
        assertThat(sim().stats().resumableSessions()).isGreaterThanOrEqualTo(1);
        long guildId = sim().guildIdsForShard(9, SHARDS).get(0);
        InteractionRef ref = sim().injectSlashCommand(SlashCommand.of("ping", guildId));
        long injectedBy = System.currentTimeMillis();
        assertThat(ref.deliveredTo()).isEqualTo(1);
        try (GatewayTestClient successor = GatewayTestClient.connect(sim().gatewayUrl())) {
            successor.awaitOp(Opcode.HELLO);
            long resumedAt = System.currentTimeMillis();
            successor.resume(sim().token(), session[0], seq);
            JsonNode replayed = successor.awaitOp(Opcode.DISPATCH);
            assertThat(replayed.path("t").asText()).isEqualTo("INTERACTION_CREATE");
            assertThat(replayed.path("s").asLong()).isEqualTo(seq + 1);
            assertThat(replayed.path("d").path("id").asText()).isEqualTo(Long.toUnsignedString(ref.id()));
            assertThat(successor.awaitOp(Opcode.DISPATCH).path("t").asText()).isEqualTo("RESUMED");

            JsonNode d = replayed.path("d");
            HttpTestClient.Reply reply = new HttpTestClient(sim())
                    .call(
                            "POST",
                            "interactions/" + d.path("id").asText() + "/"
                                    + d.path("token").asText() + "/callback",
                            "{\"type\":4,\"data\":{\"content\":\"pong\"}}",
                            false);
            assertThat(reply.status()).isEqualTo(204);
            InteractionOutcome outcome = sim().awaitReply(ref.id(), Duration.ofSeconds(5));
            assertThat(outcome.complete()).isTrue();

            SimStats stats = sim().stats();
            assertThat(stats.identifies()).isEqualTo(1);
            assertThat(stats.resumes()).isEqualTo(1);
            assertThat(stats.dispatchesReplayed()).isEqualTo(1);
            assertThat(stats.interactionsAnswered()).isEqualTo(1);
            assertThat(stats.maxDispatchDeliveryWaitMs())
                    .as("the interaction waited from its injection to the replay")
                    .isGreaterThanOrEqualTo(resumedAt - injectedBy);
        }
        sim().resetStats();
        SimStats reset = sim().stats();
        assertThat(reset.resumes()).isZero();
        assertThat(reset.dispatchesReplayed()).isZero();
        assertThat(reset.maxDispatchDeliveryWaitMs()).isZero();
    }

    @Test
    void afterARefusedResumeTheSameSocketIdentifiesAndSpendsASessionStart() {
        SimStats before = sim().stats();
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl())) {
            c.awaitOp(Opcode.HELLO);
            c.resume(sim().token(), "ffffffffffffffffffffffffffffffff", 3);
            assertThat(c.awaitOp(Opcode.INVALID_SESSION).path("d").asBoolean(true))
                    .isFalse();
            c.identify(sim().token(), 10, SHARDS, Intents.GUILDS);
            c.awaitDispatch("READY");
        }
        SimStats after = sim().stats();
        assertThat(after.failedResumes()).isEqualTo(before.failedResumes() + 1);
        assertThat(after.identifies()).isEqualTo(before.identifies() + 1);
        assertThat(after.sessionStartLimit().remaining())
                .isEqualTo(before.sessionStartLimit().remaining() - 1);
    }

    @Test
    void aSeqAheadOfTheSessionIsClosedWith4007AndEndsTheSession() {
        String[] session = new String[1];
        long seq;
        try (GatewayTestClient c = ready(11, session)) {
            seq = c.lastSeq();
        }
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl())) {
            c.awaitOp(Opcode.HELLO);
            c.resume(sim().token(), session[0], seq + 5);
            assertThat(c.awaitClose().code()).isEqualTo(4007);
        }
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl())) {
            c.awaitOp(Opcode.HELLO);
            c.resume(sim().token(), session[0], seq);
            assertThat(c.awaitOp(Opcode.INVALID_SESSION).path("d").asBoolean(true))
                    .isFalse();
        }
    }
}
