package dev.chopsticks.discordsim.jda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.interaction.CommandOption;
import dev.chopsticks.discordsim.interaction.InteractionOutcome;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import dev.chopsticks.discordsim.world.PostedMessage;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.events.guild.member.GuildMemberJoinEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.sharding.DefaultShardManagerBuilder;
import net.dv8tion.jda.api.sharding.ShardManager;
import net.dv8tion.jda.api.utils.ChunkingFilter;
import net.dv8tion.jda.api.utils.MemberCachePolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acceptance: unmodified JDA 6.5.0, configured only through public API (RestConfig base URL and a
 * SessionController gateway), runs 4 shards against a 10,000-guild world.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JdaShardManagerIT {
    private static final int SHARDS = 4;

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(
            SimConfig.builder().guilds(10_000).maxConcurrency(SHARDS).build());

    private static ShardManager shards;

    private static final class Bot extends ListenerAdapter {
        @Override
        public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
            switch (event.getName()) {
                case "ping" ->
                    event.reply("pong " + event.getOption("who", "nobody", o -> o.getAsString()))
                            .queue();
                case "slow" ->
                    event.deferReply()
                            .queue(hook -> hook.editOriginal("done slowly").queue());
                case "admin" ->
                    event.reply("sub=" + event.getSubcommandName() + " n="
                                    + event.getOption("n").getAsLong())
                            .queue();
                default -> event.reply("unknown").setEphemeral(true).queue();
            }
        }

        @Override
        public void onGuildMemberJoin(GuildMemberJoinEvent event) {
            event.getGuild()
                    .getSystemChannel()
                    .sendMessage("Welcome " + event.getUser().getName())
                    .queue();
        }
    }

    @BeforeAll
    static void startShards() {
        DiscordSimulator sim = SIM.simulator();
        shards = DefaultShardManagerBuilder.createLight(sim.token(), EnumSet.of(GatewayIntent.GUILD_MEMBERS))
                .setShardsTotal(SHARDS)
                .setSessionController(new SimSessionController(sim.gatewayUrl()))
                .setRestConfig(new RestConfig().setBaseUrl(sim.restBaseUrl()))
                .setEnableShutdownHook(false)
                .setMemberCachePolicy(MemberCachePolicy.NONE)
                .setChunkingFilter(ChunkingFilter.NONE)
                .addEventListeners(new Bot())
                .build();
    }

    @AfterAll
    static void stopShards() {
        if (shards != null) {
            shards.shutdown();
        }
    }

    @Test
    @Order(1)
    void allShardsReachConnectedHoldingExactlyTheirRoutedGuilds() {
        DiscordSimulator sim = SIM.simulator();
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertThat(shards.getShards()).hasSize(SHARDS);
            assertThat(shards.getShards())
                    .allSatisfy(s -> assertThat(s.getStatus()).isEqualTo(JDA.Status.CONNECTED));
        });
        for (JDA shard : shards.getShards()) {
            int id = shard.getShardInfo().getShardId();
            List<Long> held =
                    shard.getGuilds().stream().map(Guild::getIdLong).sorted().toList();
            assertThat(held).as("shard %d", id).isEqualTo(sim.guildIdsForShard(id, SHARDS));
            assertThat(held).hasSize(2_500);
        }
        assertThat(sim.stats().connectionsPerShard()).containsOnlyKeys("0/4", "1/4", "2/4", "3/4");
        assertThat(sim.stats().identify().violations()).isEmpty();
    }

    @Test
    @Order(2)
    void slashCommandsAreRegisteredInTheSimulator() {
        shards.getShards()
                .get(0)
                .updateCommands()
                .addCommands(
                        Commands.slash("ping", "Answers pong")
                                .addOption(OptionType.STRING, "who", "Who is asking", false),
                        Commands.slash("slow", "Defers, then edits"),
                        Commands.slash("admin", "Admin tools")
                                .addSubcommands(new SubcommandData("purge", "Purge")
                                        .addOption(OptionType.INTEGER, "n", "How many", true)))
                .complete();
        List<JsonNode> stored = SIM.simulator().commands(null);
        assertThat(stored).extracting(c -> c.path("name").asText()).containsExactlyInAnyOrder("ping", "slow", "admin");
        assertThat(stored).allSatisfy(c -> assertThat(c.path("id").asText()).isNotEmpty());
    }

    @Test
    @Order(3)
    void injectedInteractionIsAnsweredByTheJdaListenerWithItsLatency() {
        DiscordSimulator sim = SIM.simulator();
        long guildId = sim.guildIdsForShard(2, SHARDS).get(7);
        InteractionOutcome outcome = sim.invoke(
                SlashCommand.of("ping", guildId).withOptions(CommandOption.string("who", "sim")),
                Duration.ofSeconds(15));
        assertThat(outcome.complete()).isTrue();
        assertThat(outcome.callbackType()).isEqualTo(4);
        assertThat(outcome.content()).isEqualTo("pong sim");
        assertThat(outcome.finalResponse()).isPositive().isLessThan(Duration.ofSeconds(15));
        assertThat(sim.stats().interactionLatency().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(4)
    void deferredReplyThenEditOriginalIsTheFinalReply() {
        DiscordSimulator sim = SIM.simulator();
        long guildId = sim.guildIdsForShard(3, SHARDS).get(0);
        InteractionOutcome outcome = sim.invoke(SlashCommand.of("slow", guildId), Duration.ofSeconds(15));
        assertThat(outcome.callbackType()).isEqualTo(5);
        assertThat(outcome.content()).isEqualTo("done slowly");
        assertThat(outcome.finalResponse()).isGreaterThanOrEqualTo(outcome.firstResponse());
    }

    @Test
    @Order(5)
    void subcommandOptionsReachTheListener() {
        DiscordSimulator sim = SIM.simulator();
        long guildId = sim.guildIdsForShard(1, SHARDS).get(3);
        InteractionOutcome outcome = sim.invoke(
                SlashCommand.of("admin", guildId)
                        .withOptions(CommandOption.subcommand("purge", CommandOption.integer("n", 42))),
                Duration.ofSeconds(15));
        assertThat(outcome.content()).isEqualTo("sub=purge n=42");
    }

    @Test
    @Order(6)
    void memberJoinLeadsToAWelcomeMessagePostedByTheBot() {
        DiscordSimulator sim = SIM.simulator();
        long guildId = sim.guildIdsForShard(0, SHARDS).get(5);
        long systemChannel = sim.world().guild(guildId).orElseThrow().systemChannelId();
        sim.addMember(guildId, "newcomer");
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(sim.messages(systemChannel))
                        .extracting(PostedMessage::content)
                        .contains("Welcome newcomer"));
    }
}
