package dev.chopsticks.discordsim.jda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.interaction.InteractionOutcome;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import dev.chopsticks.discordsim.metrics.SimStats;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.events.guild.member.GuildMemberJoinEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.sharding.DefaultShardManagerBuilder;
import net.dv8tion.jda.api.sharding.ShardManager;
import net.dv8tion.jda.api.utils.ChunkingFilter;
import net.dv8tion.jda.api.utils.MemberCachePolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Unmodified JDA resumes on its own after the simulator cuts its socket: no IDENTIFY, and the event dispatched while
 * it had no connection reaches its listener by replay.
 */
class JdaResumeIT {
    private static final int SHARDS = 2;

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(
            SimConfig.builder().guilds(20).maxConcurrency(SHARDS).build());

    private static final Set<String> JOINED = ConcurrentHashMap.newKeySet();
    private static ShardManager shards;

    private static final class Bot extends ListenerAdapter {
        @Override
        public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
            event.reply("pong").queue();
        }

        @Override
        public void onGuildMemberJoin(GuildMemberJoinEvent event) {
            JOINED.add(event.getUser().getName());
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
    void jdaResumesAfterADroppedConnectionWithoutIdentifyingAndGetsTheMissedEvent() {
        DiscordSimulator sim = SIM.simulator();
        await().atMost(Duration.ofMinutes(1))
                .untilAsserted(() -> assertThat(shards.getShards())
                        .hasSize(SHARDS)
                        .allSatisfy(s -> assertThat(s.getStatus()).isEqualTo(JDA.Status.CONNECTED)));
        sim.resetStats();
        int startsLeft = sim.stats().sessionStartLimit().remaining();
        long guildId = sim.guildIdsForShard(0, SHARDS).get(0);

        assertThat(sim.dropConnection(0)).isEqualTo(1);
        sim.addMember(guildId, "joined-while-cut"); // dispatched right after the cut, most likely before the resume

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(sim.stats().resumes()).isEqualTo(1);
            assertThat(shards.getShardById(0).getStatus()).isEqualTo(JDA.Status.CONNECTED);
            assertThat(JOINED).contains("joined-while-cut");
        });
        InteractionOutcome reply = sim.invoke(SlashCommand.of("ping", guildId), Duration.ofSeconds(10));
        assertThat(reply.content()).isEqualTo("pong");

        SimStats stats = sim.stats();
        assertThat(stats.identifies()).as("JDA resumed, it did not identify").isZero();
        assertThat(stats.failedResumes()).isZero();
        assertThat(stats.sessionStartLimit().remaining()).isEqualTo(startsLeft);
        assertThat(stats.connectionsPerShard()).containsEntry("0/" + SHARDS, 1);
        assertThat(stats.closeCodesReceived()).doesNotContainKeys(1000, 1001);
    }
}
