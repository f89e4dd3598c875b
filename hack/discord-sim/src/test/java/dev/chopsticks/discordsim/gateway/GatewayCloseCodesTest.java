package dev.chopsticks.discordsim.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.GatewayTestClient;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every gateway close code the simulator emits, each provoked the way a real client would. */
class GatewayCloseCodesTest {
    private static final String PROPS = "\"properties\":{\"os\":\"linux\",\"browser\":\"t\",\"device\":\"t\"}";

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(SimConfig.builder()
            .guilds(30)
            .maxGuildsPerShard(10)
            .identifyWindow(Duration.ZERO)
            .gatewaySendLimit(10)
            .allowedPrivilegedIntents(Intents.GUILD_MEMBERS)
            .build());

    private static DiscordSimulator sim() {
        return SIM.simulator();
    }

    private static GatewayTestClient hello() {
        GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl());
        c.awaitOp(Opcode.HELLO);
        return c;
    }

    private static int closeAfter(String payload) {
        try (GatewayTestClient c = hello()) {
            c.send(payload);
            return c.awaitClose().code();
        }
    }

    private static String identify(String token, String shard, String intents) {
        return "{\"op\":2,\"d\":{\"token\":\"" + token + "\"," + PROPS
                + (shard == null ? "" : ",\"shard\":" + shard)
                + (intents == null ? "" : ",\"intents\":" + intents) + "}}";
    }

    @Test
    void wrongTokenIsAuthenticationFailed4004() {
        assertThat(closeAfter(identify("not-the-token", "[0,4]", "1"))).isEqualTo(4004);
        assertThat(sim().stats().closeCodesSent()).containsKey(4004);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[4,4]", "[-1,4]", "[0,0]", "[0]", "\"0,4\"", "[0,\"4\"]"})
    void invalidShardIs4010(String shard) {
        assertThat(closeAfter(identify(sim().token(), shard, "1"))).isEqualTo(4010);
    }

    @Test
    void aShardHoldingTooManyGuildsIsShardingRequired4011() {
        assertThat(closeAfter(identify(sim().token(), "[0,1]", "1"))).isEqualTo(4011);
        try (GatewayTestClient c = hello()) {
            c.send(identify(sim().token(), "[0,4]", "1"));
            assertThat(c.awaitDispatch("READY").path("d").path("guilds").size()).isLessThanOrEqualTo(10);
        }
    }

    @Test
    void tooManySendsIsRateLimited4008() {
        try (GatewayTestClient c = hello()) {
            for (int i = 0; i < 11; i++) {
                c.send("{\"op\":1,\"d\":null}");
            }
            assertThat(c.awaitClose().code()).isEqualTo(4008);
        }
    }

    @Test
    void unknownOpcodeIs4001() {
        assertThat(closeAfter("{\"op\":99,\"d\":null}")).isEqualTo(4001);
        assertThat(closeAfter("{\"op\":11,\"d\":null}")).isEqualTo(4001);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"not json", "{\"op\":", "[1,2,3]", "{\"d\":null}", "{\"op\":\"1\"}", "null", "{\"op\":1.5}"})
    void undecodablePayloadIs4002(String payload) {
        assertThat(closeAfter(payload)).isEqualTo(4002);
    }

    @Test
    void payloadOver4096BytesIs4002() {
        String big = "{\"op\":1,\"d\":null,\"pad\":\"" + "x".repeat(4_100) + "\"}";
        assertThat(closeAfter(big)).isEqualTo(4002);
    }

    @Test
    void multiByteCharactersCountAsBytes() {
        String big = "{\"op\":1,\"d\":null,\"pad\":\"" + "é".repeat(2_100) + "\"}"; // 2,100 chars, 4,200 bytes
        assertThat(closeAfter(big)).isEqualTo(4002);
    }

    @Test
    void binaryFramesAreUndecodable4002() {
        try (GatewayTestClient c = hello()) {
            c.sendBinary(new byte[] {1, 2, 3});
            assertThat(c.awaitClose().code()).isEqualTo(4002);
        }
    }

    @Test
    void requestsBeforeIdentifyAreNotAuthenticated4003() {
        assertThat(closeAfter("{\"op\":8,\"d\":{\"guild_id\":\"1\",\"query\":\"\",\"limit\":0}}"))
                .isEqualTo(4003);
        assertThat(closeAfter(
                        "{\"op\":3,\"d\":{\"since\":null,\"activities\":[],\"status\":\"online\",\"afk\":false}}"))
                .isEqualTo(4003);
    }

    @Test
    void secondIdentifyIsAlreadyAuthenticated4005() {
        try (GatewayTestClient c = hello()) {
            c.send(identify(sim().token(), "[1,4]", "1"));
            c.awaitDispatch("READY");
            c.send(identify(sim().token(), "[1,4]", "1"));
            assertThat(c.awaitClose().code()).isEqualTo(4005);
        }
    }

    @Test
    void unsupportedGatewayVersionIs4012() {
        try (GatewayTestClient c = GatewayTestClient.connectRaw(sim().gatewayUrl() + "/?v=6&encoding=json")) {
            assertThat(c.awaitClose().code()).isEqualTo(4012);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MISSING", "-1", "1099511627776", "\"1\""})
    void invalidIntentsAre4013(String intents) {
        assertThat(closeAfter(identify(sim().token(), "[0,4]", intents.equals("MISSING") ? null : intents)))
                .isEqualTo(4013);
    }

    @Test
    void unapprovedPrivilegedIntentIsDisallowed4014() {
        assertThat(closeAfter(identify(sim().token(), "[0,4]", Integer.toString(Intents.MESSAGE_CONTENT))))
                .isEqualTo(4014);
        try (GatewayTestClient c = hello()) {
            c.send(identify(sim().token(), "[2,4]", Integer.toString(Intents.GUILD_MEMBERS | Intents.GUILDS)));
            assertThat(c.awaitDispatch("READY").path("d").path("session_id").asText())
                    .isNotEmpty();
        }
    }

    @Test
    void resumeWithASequenceFromTheFutureIsInvalidSeq4007() {
        String sessionId;
        try (GatewayTestClient c = hello()) {
            c.send(identify(sim().token(), "[3,4]", "1"));
            sessionId = c.awaitDispatch("READY").path("d").path("session_id").asText();
            c.closeWith(4900);
        }
        try (GatewayTestClient c = hello()) {
            c.resume(sim().token(), sessionId, 1_000_000);
            assertThat(c.awaitClose().code()).isEqualTo(4007);
        }
    }

    /**
     * Issue 22: Discord's "Sending Heartbeats" section tells a client whose connection went quiet to reconnect and
     * resume, and the close-code table marks 4009 as one to reconnect after; the simulator keeps the session.
     */
    @Test
    void silentClientIsTimedOut4009AndCanResume() {
        try (DiscordSimulator zombieSim = SimConfig.builder()
                        .guilds(2)
                        .heartbeatInterval(Duration.ofMillis(200))
                        .start();
                GatewayTestClient c = GatewayTestClient.connect(zombieSim.gatewayUrl())) {
            assertThat(c.awaitOp(Opcode.HELLO)
                            .path("d")
                            .path("heartbeat_interval")
                            .asLong())
                    .isEqualTo(200);
            c.identify(zombieSim.token(), 0, 1, Intents.GUILDS);
            String sessionId =
                    c.awaitDispatch("READY").path("d").path("session_id").asText();
            c.awaitDispatch("GUILD_CREATE");
            c.awaitDispatch("GUILD_CREATE");
            assertThat(c.awaitClose().code()).isEqualTo(4009);
            try (GatewayTestClient again = GatewayTestClient.connect(zombieSim.gatewayUrl())) {
                again.awaitOp(Opcode.HELLO);
                again.resume(zombieSim.token(), sessionId, 1);
                again.heartbeat();
                JsonNode replayed = again.awaitDispatch("GUILD_CREATE");
                assertThat(replayed.path("s").asLong()).isEqualTo(2);
                again.awaitDispatch("RESUMED");
                assertThat(zombieSim.stats().closeCodesSent()).containsKey(4009);
            }
        }
    }

    @Test
    void heartbeatingClientIsNotTimedOut() {
        try (DiscordSimulator sim = SimConfig.builder()
                        .guilds(2)
                        .heartbeatInterval(Duration.ofMillis(200))
                        .start();
                GatewayTestClient c = GatewayTestClient.connect(sim.gatewayUrl())) {
            c.awaitOp(Opcode.HELLO);
            c.identify(sim.token(), 0, 1, Intents.GUILDS);
            c.awaitDispatch("READY");
            // A well-behaved client heartbeats every interval; the watchdog must leave it alone for many intervals.
            var heartbeater = Executors.newSingleThreadScheduledExecutor();
            try {
                heartbeater.scheduleAtFixedRate(c::heartbeat, 0, 100, TimeUnit.MILLISECONDS);
                Awaitility.await()
                        .during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(3))
                        .until(() -> !c.gone());
            } finally {
                heartbeater.shutdownNow();
            }
            assertThat(c.gone()).isFalse();
            assertThat(sim.stats().closeCodesSent()).doesNotContainKey(4009);
        }
    }
}
