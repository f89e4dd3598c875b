package dev.chopsticks.bot.discord;

import dev.chopsticks.bot.commands.UserRef;
import dev.chopsticks.bot.commands.builtin.WelcomeMessages;
import java.util.concurrent.ExecutorService;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.events.guild.member.GuildMemberJoinEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Posts the configured welcome message when a member joins (settings read through the caches). */
public final class WelcomeListener extends ListenerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WelcomeListener.class);

    private final WelcomeMessages messages;
    private final ExecutorService executor;

    public WelcomeListener(WelcomeMessages messages, ExecutorService executor) {
        this.messages = messages;
        this.executor = executor;
    }

    @Override
    public void onGuildMemberJoin(GuildMemberJoinEvent event) {
        Guild guild = event.getGuild();
        UserRef member =
                new UserRef(event.getUser().getIdLong(), event.getUser().getName());
        executor.execute(() -> {
            try {
                messages.forJoin(guild.getIdLong(), guild.getName(), member, guild.getMemberCount())
                        .ifPresent(w -> {
                            TextChannel channel = guild.getTextChannelById(w.channelId());
                            if (channel == null) {
                                log.debug("welcome channel {} not found in guild {}", w.channelId(), guild.getIdLong());
                                return;
                            }
                            channel.sendMessage(w.text())
                                    .queue(null, e -> log.warn("welcome message failed: {}", e.toString()));
                        });
            } catch (RuntimeException e) {
                log.warn("welcome for guild {} skipped: {}", guild.getIdLong(), e.getMessage());
            }
        });
    }
}
