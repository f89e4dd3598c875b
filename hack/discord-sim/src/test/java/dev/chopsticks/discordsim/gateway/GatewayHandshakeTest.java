package dev.chopsticks.discordsim.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.GatewayTestClient;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import dev.chopsticks.discordsim.world.ShardRouting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GatewayHandshakeTest {
    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(
            SimConfig.builder().guilds(40).identifyWindow(Duration.ZERO).build());

    private static DiscordSimulator sim() {
        return SIM.simulator();
    }

    @Test
    void helloCarriesTheHeartbeatInterval() {
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl())) {
            JsonNode hello = c.next(Duration.ofSeconds(5));
            assertThat(hello.path("op").asInt()).isEqualTo(Opcode.HELLO);
            assertThat(hello.path("d").path("heartbeat_interval").asLong()).isEqualTo(41_250);
            assertThat(hello.path("s").isNull()).isTrue();
        }
    }

    @Test
    void heartbeatIsAcknowledged() {
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl())) {
            c.awaitOp(Opcode.HELLO);
            c.heartbeat();
            assertThat(c.awaitOp(Opcode.HEARTBEAT_ACK).path("op").asInt()).isEqualTo(11);
        }
    }

    @Test
    void identifyYieldsReadyThenOneGuildCreatePerGuildOfTheShard() {
        int shardId = 1;
        int shardCount = 3;
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl())) {
            c.awaitOp(Opcode.HELLO);
            c.identify(sim().token(), shardId, shardCount, Intents.GUILDS);
            JsonNode ready = c.awaitDispatch("READY");
            JsonNode d = ready.path("d");
            assertThat(ready.path("s").asLong()).isEqualTo(1);
            assertThat(d.path("v").asInt()).isEqualTo(10);
            assertThat(d.path("session_id").asText()).hasSize(32);
            assertThat(d.path("resume_gateway_url").asText()).isEqualTo(sim().gatewayUrl());
            assertThat(d.path("shard").get(0).asInt()).isEqualTo(shardId);
            assertThat(d.path("shard").get(1).asInt()).isEqualTo(shardCount);
            assertThat(d.path("user").path("id").asText())
                    .isEqualTo(Long.toUnsignedString(sim().world().bot().id()));
            assertThat(d.path("user").path("bot").asBoolean()).isTrue();
            assertThat(d.path("application").path("id").asText())
                    .isEqualTo(Long.toUnsignedString(sim().world().applicationId()));

            List<Long> expected = sim().guildIdsForShard(shardId, shardCount);
            List<Long> unavailable = new ArrayList<>();
            d.path("guilds").forEach(g -> {
                assertThat(g.path("unavailable").asBoolean()).isTrue();
                unavailable.add(Long.parseUnsignedLong(g.path("id").asText()));
            });
            assertThat(unavailable).containsExactlyInAnyOrderElementsOf(expected);

            List<Long> created = new ArrayList<>();
            long seq = 1;
            for (int i = 0; i < expected.size(); i++) {
                JsonNode gc = c.awaitDispatch("GUILD_CREATE");
                assertThat(gc.path("s").asLong()).isEqualTo(++seq);
                long id = Long.parseUnsignedLong(gc.path("d").path("id").asText());
                assertThat(ShardRouting.shardFor(id, shardCount)).isEqualTo(shardId);
                created.add(id);
            }
            assertThat(created).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void guildCreateIsCompleteEnoughForClientLibraries() {
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl())) {
            c.awaitOp(Opcode.HELLO);
            c.identify(sim().token(), 0, 1, Intents.GUILDS);
            JsonNode g = c.awaitDispatch("GUILD_CREATE").path("d");
            for (String field : Arrays.asList(
                    "id",
                    "name",
                    "owner_id",
                    "roles",
                    "channels",
                    "members",
                    "member_count",
                    "features",
                    "emojis",
                    "stickers",
                    "threads",
                    "voice_states",
                    "guild_scheduled_events",
                    "joined_at",
                    "preferred_locale",
                    "system_channel_id")) {
                assertThat(g.has(field)).as(field).isTrue();
            }
            JsonNode everyone = g.path("roles").get(0);
            assertThat(everyone.path("id").asText()).isEqualTo(g.path("id").asText());
            assertThat(everyone.path("name").asText()).isEqualTo("@everyone");
            assertThat(everyone.path("colors").has("primary_color")).isTrue();
            assertThat(g.path("channels").findValuesAsText("type")).contains("0", "2", "4");
            boolean selfMember = false;
            for (JsonNode m : g.path("members")) {
                selfMember |= m.path("user")
                        .path("id")
                        .asText()
                        .equals(Long.toUnsignedString(sim().world().bot().id()));
            }
            assertThat(selfMember).as("bot is a member").isTrue();
            assertThat(g.path("member_count").asInt())
                    .isEqualTo(g.path("members").size());
        }
    }

    @Test
    void zlibStreamFramesEndWithSyncFlushSuffixAndInflateToJson() {
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl(), "&compress=zlib-stream")) {
            assertThat(c.awaitOp(Opcode.HELLO).path("d").has("heartbeat_interval"))
                    .isTrue();
            c.identify(sim().token(), 0, 1, Intents.GUILDS);
            assertThat(c.awaitDispatch("READY").path("d").path("session_id").asText())
                    .isNotEmpty();
            List<byte[]> frames = c.rawBinary();
            assertThat(frames).hasSizeGreaterThanOrEqualTo(2);
            for (byte[] f : frames) {
                assertThat(Arrays.copyOfRange(f, f.length - 4, f.length)).containsExactly(0x00, 0x00, 0xff, 0xff);
            }
        }
    }

    /** Issue 22: a client that sends every payload as a binary frame of UTF-8 JSON (encoding=json) is served. */
    @Test
    void binaryFramesHoldingUtf8JsonAreAccepted() {
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl())) {
            c.awaitOp(Opcode.HELLO);
            c.sendAsBinary("{\"op\":1,\"d\":null}");
            c.awaitOp(Opcode.HEARTBEAT_ACK);
            c.sendAsBinary("{\"op\":2,\"d\":{\"token\":\"" + sim().token()
                    + "\",\"intents\":1,\"shard\":[0,2],"
                    + "\"properties\":{\"os\":\"linux\",\"browser\":\"caf\u00e9\",\"device\":\"t\"}}}");
            assertThat(c.awaitDispatch("READY").path("d").path("session_id").asText())
                    .isNotEmpty();
            assertThat(c.gone()).isFalse();
        }
    }

    /**
     * Issue 22: {@code compress=zstd-stream}, like zlib-stream: one zstd stream (one frame) for the connection, every
     * message flushed so that it decodes on its own once the earlier ones have.
     */
    @Test
    void zstdStreamIsOneStreamWithEachMessageFlushed() {
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl(), "&compress=zstd-stream")) {
            assertThat(c.awaitOp(Opcode.HELLO).path("d").has("heartbeat_interval"))
                    .isTrue();
            c.identify(sim().token(), 1, 2, Intents.GUILDS);
            assertThat(c.awaitDispatch("READY").path("d").path("session_id").asText())
                    .isNotEmpty();
            c.awaitDispatch("GUILD_CREATE");
            List<byte[]> frames = c.rawBinary();
            assertThat(frames).hasSizeGreaterThanOrEqualTo(3);
            byte[] magic = {(byte) 0x28, (byte) 0xb5, (byte) 0x2f, (byte) 0xfd};
            assertThat(Arrays.copyOf(frames.get(0), 4)).containsExactly(magic);
            for (byte[] f : frames.subList(1, frames.size())) {
                assertThat(Arrays.copyOf(f, 4))
                        .as("a later message continues the frame")
                        .isNotEqualTo(magic);
            }
        }
    }

    @Test
    void unknownCompressionIsStillDecodeError4002() {
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl(), "&compress=brotli")) {
            assertThat(c.awaitClose().code()).isEqualTo(4002);
        }
    }

    @Test
    void requestGuildMembersAnswersWithAChunk() {
        try (GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl())) {
            c.awaitOp(Opcode.HELLO);
            c.identify(sim().token(), 0, 1, Intents.GUILDS | Intents.GUILD_MEMBERS);
            String guildId =
                    c.awaitDispatch("GUILD_CREATE").path("d").path("id").asText();
            c.send("{\"op\":8,\"d\":{\"guild_id\":\"" + guildId + "\",\"query\":\"\",\"limit\":0,\"nonce\":\"n1\"}}");
            JsonNode chunk = c.awaitDispatch("GUILD_MEMBERS_CHUNK").path("d");
            assertThat(chunk.path("guild_id").asText()).isEqualTo(guildId);
            assertThat(chunk.path("nonce").asText()).isEqualTo("n1");
            assertThat(chunk.path("members").size()).isGreaterThan(1);
        }
    }
}
