package dev.chopsticks.bot.discord;

import dev.chopsticks.bot.config.DiscordConfig;
import dev.chopsticks.bot.config.ShardConfig;
import java.util.EnumSet;
import java.util.List;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.hooks.EventListener;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.sharding.DefaultShardManagerBuilder;
import net.dv8tion.jda.api.sharding.ShardManager;
import net.dv8tion.jda.api.utils.ChunkingFilter;
import net.dv8tion.jda.api.utils.MemberCachePolicy;

/**
 * Minimal gateway wiring: this process's shards against the configured gateway and REST URLs. Part 2 replaces the
 * shard assignment and identify queue.
 */
public final class ShardManagerFactory {
    private ShardManagerFactory() {
    }

    public static ShardManager start(DiscordConfig discord, ShardConfig shards, List<EventListener> listeners) {
        return DefaultShardManagerBuilder.createLight(discord.token().reveal(),
                        EnumSet.of(GatewayIntent.GUILD_MEMBERS))
                .setShardsTotal(shards.shardCount())
                .setShards(shards.shardIds())
                .setSessionController(new GatewayUrlSessionController(discord.gatewayUrl().toString()))
                .setRestConfig(new RestConfig().setBaseUrl(discord.apiBaseUrl().toString()))
                .setEnableShutdownHook(false)
                // Settings live in our own caches; JDA's member cache is not needed for slash commands.
                .setMemberCachePolicy(MemberCachePolicy.NONE)
                .setChunkingFilter(ChunkingFilter.NONE)
                .addEventListeners(listeners.toArray())
                .build();
    }

    /** Ready when every shard of this process is connected. */
    public static boolean allConnected(ShardManager manager) {
        List<JDA> all = manager.getShards();
        return !all.isEmpty() && all.stream().allMatch(j -> j.getStatus() == JDA.Status.CONNECTED);
    }
}
