package dev.chopsticks.discordsim.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.GatewayTestClient;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RESUME success and failure, server RECONNECT, invalidation and dropped connections. */
class GatewayResumeTest {
    private static final int SHARDS = 8;

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(SimConfig.builder()
            .guilds(16)
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
                .until(() -> !sim().stats().connectionsPerShard().containsKey("1/8"));
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
}
