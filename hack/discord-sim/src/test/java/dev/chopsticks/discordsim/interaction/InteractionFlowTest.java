package dev.chopsticks.discordsim.interaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.GatewayTestClient;
import dev.chopsticks.discordsim.HttpTestClient;
import dev.chopsticks.discordsim.HttpTestClient.Reply;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.gateway.Intents;
import dev.chopsticks.discordsim.gateway.Opcode;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import dev.chopsticks.discordsim.world.PostedMessage;
import dev.chopsticks.discordsim.world.SimGuild;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Interaction injection and every reply path, with a raw gateway client playing the bot. */
class InteractionFlowTest {
    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(
            SimConfig.builder().guilds(8).identifyWindow(Duration.ZERO).build());

    private static GatewayTestClient shard0;
    private static GatewayTestClient shard1;

    @BeforeAll
    static void connectShards() {
        shard0 = identified(0);
        shard1 = identified(1);
    }

    @AfterAll
    static void disconnect() {
        shard0.close();
        shard1.close();
    }

    private static GatewayTestClient identified(int shard) {
        GatewayTestClient c = GatewayTestClient.connect(sim().gatewayUrl());
        c.awaitOp(Opcode.HELLO);
        c.identify(sim().token(), shard, 2, Intents.GUILDS);
        c.awaitDispatch("READY");
        return c;
    }

    private static DiscordSimulator sim() {
        return SIM.simulator();
    }

    private static HttpTestClient http() {
        return new HttpTestClient(sim());
    }

    private static SimGuild guildOnShard1() {
        return sim().world().guild(sim().guildIdsForShard(1, 2).get(0)).orElseThrow();
    }

    /** Injects and returns the INTERACTION_CREATE payload the shard-1 "bot" received. */
    private static JsonNode inject(SlashCommand command) {
        InteractionRef ref = sim().injectSlashCommand(command);
        assertThat(ref.deliveredTo()).isEqualTo(1);
        return shard1.await(
                        n -> "INTERACTION_CREATE".equals(n.path("t").asText())
                                && n.path("d").path("id").asText().equals(Long.toUnsignedString(ref.id())),
                        Duration.ofSeconds(5))
                .path("d");
    }

    private static Reply callback(JsonNode interaction, String body, String query) {
        return http().call(
                        "POST",
                        "interactions/" + interaction.path("id").asText() + "/"
                                + interaction.path("token").asText() + "/callback" + query,
                        body,
                        false);
    }

    private static String webhook(JsonNode interaction) {
        return "webhooks/" + interaction.path("application_id").asText() + "/"
                + interaction.path("token").asText();
    }

    private static long id(JsonNode interaction) {
        return Long.parseUnsignedLong(interaction.path("id").asText());
    }

    @Test
    void interactionReachesOnlyTheShardHoldingTheGuildAndAType4ReplyCompletesIt() {
        SimGuild guild = guildOnShard1();
        JsonNode interaction =
                inject(SlashCommand.of("ping", guild.id()).withOptions(CommandOption.string("who", "me")));
        assertThat(interaction.path("type").asInt()).isEqualTo(2);
        assertThat(interaction.path("data").path("name").asText()).isEqualTo("ping");
        assertThat(interaction.path("data").path("options").get(0).path("value").asText())
                .isEqualTo("me");
        assertThat(interaction.path("guild_id").asText()).isEqualTo(Long.toUnsignedString(guild.id()));
        assertThat(interaction.path("channel").path("id").asText())
                .isEqualTo(interaction.path("channel_id").asText());
        assertThat(interaction.path("member").path("user").path("bot").asBoolean(false))
                .isFalse();
        assertThat(shard0.drain())
                .noneMatch(n -> "INTERACTION_CREATE".equals(n.path("t").asText()));

        assertThat(callback(interaction, "{\"type\":4,\"data\":{\"content\":\"pong\"}}", "")
                        .status())
                .isEqualTo(204);
        InteractionOutcome outcome = sim().awaitReply(id(interaction), Duration.ofSeconds(5));
        assertThat(outcome.complete()).isTrue();
        assertThat(outcome.callbackType()).isEqualTo(4);
        assertThat(outcome.content()).isEqualTo("pong");
        assertThat(outcome.firstResponse()).isEqualTo(outcome.finalResponse()).isPositive();
        assertThat(sim().messages(guild.defaultTextChannel().id())).anySatisfy(m -> {
            assertThat(m.content()).isEqualTo("pong");
            assertThat(m.source()).isEqualTo(PostedMessage.Source.INTERACTION_RESPONSE);
        });
    }

    /** Issue 22: Discord sends no rate-limit bucket on the interaction callback route (it has no per-route bucket). */
    @Test
    void interactionCallbackCarriesNoRateLimitBucketHeaders() {
        JsonNode interaction = inject(SlashCommand.of("headers", guildOnShard1().id()));
        Reply r = callback(interaction, "{\"type\":4,\"data\":{\"content\":\"ok\"}}", "");
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.header("X-RateLimit-Bucket")).isNull();
        assertThat(r.header("X-RateLimit-Limit")).isNull();
        assertThat(r.header("Via")).isNotNull();
        Reply followup = http().call("POST", webhook(interaction), "{\"content\":\"more\"}", false);
        assertThat(followup.status()).isEqualTo(200);
        assertThat(followup.header("X-RateLimit-Bucket"))
                .as("webhook routes keep theirs")
                .isNotNull();
    }

    @Test
    void deferredReplyIsFinalOnlyAfterEditingTheOriginal() {
        JsonNode interaction = inject(SlashCommand.of("slow", guildOnShard1().id()));
        assertThat(callback(interaction, "{\"type\":5}", "").status()).isEqualTo(204);
        InteractionOutcome pending = sim().awaitReply(id(interaction), Duration.ZERO);
        assertThat(pending.complete()).isFalse();
        assertThat(pending.firstResponse()).isNotNull();
        assertThat(http().call("GET", webhook(interaction) + "/messages/@original", null, false)
                                .json()
                                .path("flags")
                                .asInt()
                        & 128)
                .as("loading")
                .isEqualTo(128);

        Reply edit =
                http().call("PATCH", webhook(interaction) + "/messages/@original", "{\"content\":\"done\"}", false);
        assertThat(edit.status()).isEqualTo(200);
        assertThat(edit.json().path("content").asText()).isEqualTo("done");
        InteractionOutcome outcome = sim().awaitReply(id(interaction), Duration.ofSeconds(5));
        assertThat(outcome.complete()).isTrue();
        assertThat(outcome.callbackType()).isEqualTo(5);
        assertThat(outcome.content()).isEqualTo("done");
        assertThat(outcome.finalResponse()).isGreaterThanOrEqualTo(outcome.firstResponse());
        assertThat(http().call("GET", webhook(interaction) + "/messages/@original", null, false)
                                .json()
                                .path("flags")
                                .asInt()
                        & 128)
                .isZero();
    }

    @Test
    void followUpsAreRecordedAfterTheFirstReply() {
        JsonNode interaction = inject(SlashCommand.of("multi", guildOnShard1().id()));
        callback(interaction, "{\"type\":4,\"data\":{\"content\":\"one\"}}", "");
        Reply followup = http().call("POST", webhook(interaction) + "?wait=true", "{\"content\":\"two\"}", false);
        assertThat(followup.status()).isEqualTo(200);
        String messageId = followup.json().path("id").asText();
        Reply edited =
                http().call("PATCH", webhook(interaction) + "/messages/" + messageId, "{\"content\":\"two!\"}", false);
        assertThat(edited.json().path("content").asText()).isEqualTo("two!");
        InteractionOutcome outcome = sim().awaitReply(id(interaction), Duration.ofSeconds(5));
        assertThat(outcome.replies())
                .extracting(InteractionReply::kind)
                .containsExactly(
                        InteractionReply.Kind.CALLBACK,
                        InteractionReply.Kind.FOLLOWUP,
                        InteractionReply.Kind.EDIT_FOLLOWUP);
        assertThat(outcome.content()).isEqualTo("two!");
    }

    @Test
    void withResponseReturnsTheInteractionCallbackResponse() {
        JsonNode interaction = inject(SlashCommand.of("ping", guildOnShard1().id()));
        Reply r =
                callback(interaction, "{\"type\":4,\"data\":{\"content\":\"hi\",\"flags\":64}}", "?with_response=true");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("interaction").path("id").asText())
                .isEqualTo(interaction.path("id").asText());
        assertThat(r.json()
                        .path("interaction")
                        .path("response_message_ephemeral")
                        .asBoolean())
                .isTrue();
        assertThat(r.json().path("resource").path("type").asInt()).isEqualTo(4);
        assertThat(r.json().path("resource").path("message").path("content").asText())
                .isEqualTo("hi");
    }

    @Test
    void aSecondAcknowledgementIs40060() {
        JsonNode interaction = inject(SlashCommand.of("ping", guildOnShard1().id()));
        callback(interaction, "{\"type\":4,\"data\":{\"content\":\"first\"}}", "");
        Reply second = callback(interaction, "{\"type\":4,\"data\":{\"content\":\"second\"}}", "");
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.json().path("code").asInt()).isEqualTo(40060);
        assertThat(sim().stats().duplicateAcknowledgements())
                .as("counted for tests of exactly-once answering")
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void invalidCallbacksAreRejectedLikeDiscord() {
        JsonNode interaction = inject(SlashCommand.of("ping", guildOnShard1().id()));
        assertThat(callback(interaction, "{\"type\":1}", "").json().path("code").asInt())
                .isEqualTo(50035);
        assertThat(callback(interaction, "{\"type\":4,\"data\":{}}", "")
                        .json()
                        .path("code")
                        .asInt())
                .isEqualTo(50006);
        assertThat(callback(interaction, "{\"type\":4", "").json().path("code").asInt())
                .isEqualTo(50109);
        Reply wrongToken = http().call(
                        "POST",
                        "interactions/" + interaction.path("id").asText() + "/nope/callback",
                        "{\"type\":4,\"data\":{\"content\":\"x\"}}",
                        false);
        assertThat(wrongToken.status()).isEqualTo(404);
        assertThat(wrongToken.json().path("code").asInt()).isEqualTo(10062);
        Reply wrongApp = http().call(
                        "PATCH",
                        "webhooks/1/" + interaction.path("token").asText() + "/messages/@original",
                        "{\"content\":\"x\"}",
                        false);
        assertThat(wrongApp.json().path("code").asInt()).isEqualTo(10015);
        Reply beforeAck =
                http().call("PATCH", webhook(interaction) + "/messages/@original", "{\"content\":\"x\"}", false);
        assertThat(beforeAck.json().path("code").asInt()).isEqualTo(10008);
        assertThat(sim().awaitReply(id(interaction), Duration.ZERO).callbackType())
                .isZero();
    }

    @Test
    void userOptionsCarryResolvedUsersAndMembers() {
        SimGuild guild = guildOnShard1();
        long target = guild.members().get(2).user().id();
        JsonNode interaction =
                inject(SlashCommand.of("whois", guild.id()).withOptions(CommandOption.user("user", target)));
        String key = Long.toUnsignedString(target);
        assertThat(interaction.at("/data/resolved/users/" + key + "/id").asText())
                .isEqualTo(key);
        assertThat(interaction.at("/data/resolved/members/" + key + "/roles").isArray())
                .isTrue();
    }

    @Test
    void injectionNeedsAKnownGuildAndASessionHoldingIt() {
        assertThatThrownBy(() -> sim().injectSlashCommand(SlashCommand.of("ping", 42)))
                .isInstanceOf(IllegalArgumentException.class);
        try (DiscordSimulator idle = SimConfig.builder().guilds(1).start()) {
            long guild = idle.world().guilds().iterator().next().id();
            assertThatThrownBy(() -> idle.injectSlashCommand(SlashCommand.of("ping", guild)))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void acknowledgingAfterTheDeadlineIsUnknownInteraction() {
        try (DiscordSimulator strict = SimConfig.builder()
                        .guilds(1)
                        .interactionAckDeadline(Duration.ZERO)
                        .start();
                GatewayTestClient bot = GatewayTestClient.connect(strict.gatewayUrl())) {
            bot.awaitOp(Opcode.HELLO);
            bot.identify(strict.token(), 0, 1, Intents.GUILDS);
            bot.awaitDispatch("READY");
            strict.injectSlashCommand(SlashCommand.of(
                    "ping", strict.world().guilds().iterator().next().id()));
            JsonNode interaction = bot.awaitDispatch("INTERACTION_CREATE").path("d");
            Reply late = new HttpTestClient(strict)
                    .call(
                            "POST",
                            "interactions/" + interaction.path("id").asText() + "/"
                                    + interaction.path("token").asText() + "/callback",
                            "{\"type\":4,\"data\":{\"content\":\"late\"}}",
                            false);
            assertThat(late.status()).isEqualTo(404);
            assertThat(late.json().path("code").asInt()).isEqualTo(10062);
            assertThat(strict.stats().lateAcknowledgements()).isEqualTo(1);
            assertThat(strict.stats().duplicateAcknowledgements()).isZero();
        }
    }
}
