package dev.chopsticks.discordsim.interaction;

import java.util.List;

/**
 * A slash command a simulated user invokes. Zero ids mean "pick for me": the guild's first text channel
 * and its first non-bot member.
 */
public record SlashCommand(String name, long guildId, long channelId, long userId, List<CommandOption> options) {
    public SlashCommand {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is required");
        }
        options = options == null ? List.of() : List.copyOf(options);
    }

    public static SlashCommand of(String name, long guildId) {
        return new SlashCommand(name, guildId, 0, 0, List.of());
    }

    public SlashCommand inChannel(long id) {
        return new SlashCommand(name, guildId, id, userId, options);
    }

    public SlashCommand byUser(long id) {
        return new SlashCommand(name, guildId, channelId, id, options);
    }

    public SlashCommand withOptions(CommandOption... opts) {
        return new SlashCommand(name, guildId, channelId, userId, List.of(opts));
    }
}
