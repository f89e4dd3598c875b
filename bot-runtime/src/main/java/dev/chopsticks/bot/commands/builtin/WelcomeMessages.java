package dev.chopsticks.bot.commands.builtin;

import dev.chopsticks.bot.commands.UserRef;
import dev.chopsticks.bot.data.GuildConfigStore;
import dev.chopsticks.bot.data.GuildSettings;
import java.util.Optional;

/** Renders the welcome template for a member join: {user}, {username}, {server}, {memberCount}. */
public final class WelcomeMessages {
    public static final String DEFAULT_TEMPLATE = "Welcome to {server}, {user}! You are member #{memberCount}.";
    public static final int MAX_TEMPLATE = 1000;

    /** A message to post in a channel. */
    public record Welcome(long channelId, String text) {}

    private final GuildConfigStore store;

    public WelcomeMessages(GuildConfigStore store) {
        this.store = store;
    }

    /** Empty when the guild has no welcome channel configured. */
    public Optional<Welcome> forJoin(long guildId, String guildName, UserRef member, long memberCount) {
        GuildSettings s = store.load(guildId).value();
        if (s.welcomeChannelId() == null) {
            return Optional.empty();
        }
        String template = s.welcomeMessage() == null ? DEFAULT_TEMPLATE : s.welcomeMessage();
        return Optional.of(new Welcome(s.welcomeChannelId(), render(template, guildName, member, memberCount)));
    }

    public static String render(String template, String guildName, UserRef member, long memberCount) {
        return template.replace("{user}", member.mention())
                .replace("{username}", member.name())
                .replace("{server}", guildName)
                .replace("{memberCount}", Long.toString(memberCount));
    }
}
