package dev.chopsticks.discordsim.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.GatewayTestClient;
import dev.chopsticks.discordsim.HttpTestClient;
import dev.chopsticks.discordsim.gateway.Intents;
import dev.chopsticks.discordsim.gateway.Opcode;
import dev.chopsticks.discordsim.interaction.CommandOption;
import dev.chopsticks.discordsim.interaction.InteractionOutcome;
import dev.chopsticks.discordsim.interaction.InteractionRef;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.discordsim.json.Json;
import dev.chopsticks.discordsim.junit.DiscordSimulatorTest;
import dev.chopsticks.discordsim.metrics.SimStats;
import dev.chopsticks.discordsim.world.ShardRouting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The control API over HTTP, as an out-of-process test (or the kind demo) would drive it. */
@DiscordSimulatorTest(guilds = 12, identifyWindowMs = 0)
class DiscordSimClientTest {

    private static GatewayTestClient bot(DiscordSimulator sim, int shard, int count) {
        GatewayTestClient c = GatewayTestClient.connect(sim.gatewayUrl());
        c.awaitOp(Opcode.HELLO);
        c.identify(sim.token(), shard, count, Intents.GUILDS | Intents.GUILD_MEMBERS | Intents.GUILD_MESSAGES);
        c.awaitDispatch("READY");
        return c;
    }

    @Test
    void worldInfoDescribesTheSimulator(DiscordSimulator sim, DiscordSimClient client) {
        WorldInfo info = client.worldInfo();
        assertThat(info.guildCount()).isEqualTo(sim.world().guildCount());
        assertThat(info.applicationId()).isEqualTo(sim.world().applicationId());
        assertThat(info.gatewayUrl()).isEqualTo(sim.gatewayUrl());
        assertThat(client.guildIdsForShard(1, 3)).isEqualTo(sim.guildIdsForShard(1, 3));
    }

    @Test
    void injectAndAwaitAReplyOverHttp(DiscordSimulator sim, DiscordSimClient client) {
        try (GatewayTestClient bot = bot(sim, 0, 1)) {
            long guild = sim.guildIdsForShard(0, 1).get(3);
            // A trivial bot: answer the interaction as soon as it arrives.
            CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> {
                JsonNode i = bot.awaitDispatch("INTERACTION_CREATE").path("d");
                new HttpTestClient(sim)
                        .call(
                                "POST",
                                "interactions/" + i.path("id").asText() + "/"
                                        + i.path("token").asText() + "/callback",
                                "{\"type\":4,\"data\":{\"content\":\"echo "
                                        + i.at("/data/options/0/value").asText() + "\"}}",
                                false);
            });
            InteractionRef ref = client.injectSlashCommand(
                    SlashCommand.of("echo", guild).withOptions(CommandOption.string("text", "hi")));
            InteractionOutcome outcome = client.awaitReply(ref.id(), Duration.ofSeconds(10));
            answered.join();
            assertThat(outcome.complete()).isTrue();
            assertThat(outcome.content()).isEqualTo("echo hi");
            assertThat(outcome.finalResponse()).isPositive();
            SimStats stats = client.stats();
            assertThat(stats.interactionsAnswered()).isGreaterThanOrEqualTo(1);
            assertThat(stats.interactionLatency().count()).isGreaterThanOrEqualTo(1);
            assertThat(client.messages(ref.channelId()))
                    .extracting(m -> m.content())
                    .contains("echo hi");
        }
    }

    @Test
    void joinsLeavesAndMemberAddsReachTheRightShard(DiscordSimulator sim, DiscordSimClient client) {
        try (GatewayTestClient s0 = bot(sim, 0, 2);
                GatewayTestClient s1 = bot(sim, 1, 2)) {
            long guild = client.addGuild("Fresh");
            GatewayTestClient owner = ShardRouting.shardFor(guild, 2) == 0 ? s0 : s1;
            JsonNode created = owner.await(
                    n -> "GUILD_CREATE".equals(n.path("t").asText())
                            && n.path("d").path("id").asText().equals(Long.toUnsignedString(guild)),
                    Duration.ofSeconds(5));
            assertThat(created.path("d").path("name").asText()).isEqualTo("Fresh");
            long user = client.addMember(guild, "newbie");
            JsonNode add = owner.awaitDispatch("GUILD_MEMBER_ADD").path("d");
            assertThat(add.path("user").path("id").asText()).isEqualTo(Long.toUnsignedString(user));
            assertThat(add.path("guild_id").asText()).isEqualTo(Long.toUnsignedString(guild));
            // Resumable sessions left by earlier tests of this class also buffer the event, hence "at least".
            assertThat(client.dispatch(guild, "GUILD_UPDATE", Json.object().put("id", Long.toUnsignedString(guild))))
                    .isPositive();
            assertThat(owner.awaitDispatch("GUILD_UPDATE").path("d").path("id").asText())
                    .isEqualTo(Long.toUnsignedString(guild));
            assertThat(client.removeGuild(guild)).isTrue();
            JsonNode delete = owner.awaitDispatch("GUILD_DELETE").path("d");
            assertThat(delete.path("id").asText()).isEqualTo(Long.toUnsignedString(guild));
            assertThat(delete.has("unavailable")).isFalse();
            assertThat(client.removeGuild(guild)).isFalse();
        }
    }

    @Test
    void memberAddIsFilteredByIntent(DiscordSimulator sim) {
        try (GatewayTestClient noMembers = GatewayTestClient.connect(sim.gatewayUrl())) {
            noMembers.awaitOp(Opcode.HELLO);
            noMembers.identify(sim.token(), 0, 1, Intents.GUILDS);
            noMembers.awaitDispatch("READY");
            long guild = sim.guildIdsForShard(0, 1).get(0);
            sim.addMember(guild, "unseen");
            long marker = sim.addGuild("marker");
            // GUILD_CREATE (GUILDS intent) arrives, the earlier GUILD_MEMBER_ADD never did.
            List<String> seen = new ArrayList<>();
            noMembers.await(
                    n -> {
                        seen.add(n.path("t").asText());
                        return n.path("d").path("id").asText().equals(Long.toUnsignedString(marker));
                    },
                    Duration.ofSeconds(5));
            assertThat(seen).contains("GUILD_CREATE").doesNotContain("GUILD_MEMBER_ADD");
            sim.removeGuild(marker);
        }
    }

    @Test
    void shardControlsAndCountersOverHttp(DiscordSimulator sim, DiscordSimClient client) {
        try (GatewayTestClient bot = bot(sim, 2, 3)) {
            assertThat(client.stats().connectionsPerShard()).containsEntry("2/3", 1);
            assertThat(client.forceReconnect(2)).isEqualTo(1);
            bot.awaitOp(Opcode.RECONNECT);
            assertThat(client.invalidateSession(2)).isEqualTo(1);
            bot.awaitOp(Opcode.INVALID_SESSION);
            assertThat(client.dropConnection(2)).isZero(); // the invalidated session is gone
        }
        client.setIdentifyRule(4, Duration.ofSeconds(5));
        assertThat(client.stats().identify().maxConcurrency()).isEqualTo(4);
        client.setSessionStartLimit(10, 7);
        assertThat(client.stats().sessionStartLimit().remaining()).isEqualTo(7);
        client.setSessionStartLimit(1_000, 1_000);
        client.setIdentifyRule(1, Duration.ZERO);
    }

    @Test
    void storedCommandsAreVisible(DiscordSimulator sim, DiscordSimClient client) {
        String app = Long.toUnsignedString(sim.world().applicationId());
        new HttpTestClient(sim)
                .call(
                        "PUT",
                        "applications/" + app + "/commands",
                        "[{\"name\":\"hello\",\"description\":\"Hi\"}]",
                        true);
        assertThat(client.commands(null))
                .extracting(c -> c.path("name").asText())
                .contains("hello");
    }

    @Test
    void controlErrorsSurfaceAsExceptions(DiscordSimClient client) {
        assertThatThrownBy(() -> client.injectSlashCommand(SlashCommand.of("x", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.awaitReply(5, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
