package dev.chopsticks.bot.commands;

import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/**
 * A command for moderators, in a server only. Discord hides it from other members ({@link #moderatorSlash}), but
 * that default can be changed per server, so {@link #execute} checks again before {@link #moderate} runs.
 */
public abstract class ModeratorCommand implements SlashCommand {

    @Override
    public final CommandReply execute(CommandRequest request) {
        if (!request.inGuild()) {
            return Replies.guildOnly();
        }
        if (!request.canModerate()) {
            return Replies.missingPermission("Moderate Members");
        }
        return moderate(request);
    }

    /** The command itself: the member is known to be a moderator of this server. */
    protected abstract CommandReply moderate(CommandRequest request);

    /** The registration data every moderator command starts from: servers only, Moderate Members by default. */
    protected final SlashCommandData moderatorSlash() {
        return Commands.slash(name(), description())
                .setContexts(InteractionContextType.GUILD)
                .setDefaultPermissions(DefaultMemberPermissions.enabledFor(Permission.MODERATE_MEMBERS));
    }
}
