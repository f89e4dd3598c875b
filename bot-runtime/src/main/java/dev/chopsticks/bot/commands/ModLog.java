package dev.chopsticks.bot.commands;

/** Posts moderation notices to a channel (JDA in production, a recorder in tests). */
@FunctionalInterface
public interface ModLog {
    void post(long channelId, CommandReply notice);
}
