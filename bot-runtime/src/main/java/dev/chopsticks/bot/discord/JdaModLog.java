package dev.chopsticks.bot.discord;

import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.ModLog;
import java.util.function.Supplier;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.sharding.ShardManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends moderation notices to the guild's mod-log channel through whichever shard holds it. */
public final class JdaModLog implements ModLog {
    private static final Logger log = LoggerFactory.getLogger(JdaModLog.class);

    private final Supplier<ShardManager> shards;

    public JdaModLog(Supplier<ShardManager> shards) {
        this.shards = shards;
    }

    @Override
    public void post(long channelId, CommandReply notice) {
        ShardManager manager = shards.get();
        TextChannel channel = manager == null ? null : manager.getTextChannelById(channelId);
        if (channel == null) {
            log.debug("mod-log channel {} not visible", channelId);
            return;
        }
        channel.sendMessage(JdaReplies.create(notice))
                .queue(null, e -> log.warn("mod-log post failed: {}", e.toString()));
    }
}
