package dev.chopsticks.bot.commands;

/**
 * One slash command invocation, free of JDA types so handlers are unit-testable.
 *
 * @param guildId      0 in DMs
 * @param subcommand   null when the command has none
 * @param canManageGuild the member has Manage Server
 * @param canModerate  the member can moderate (Moderate/Kick Members)
 */
public record CommandRequest(
        String name,
        String subcommand,
        CommandOptions options,
        long guildId,
        String guildName,
        long channelId,
        UserRef user,
        boolean canManageGuild,
        boolean canModerate,
        ShardContext shard) {
    public boolean inGuild() {
        return guildId != 0;
    }
}
