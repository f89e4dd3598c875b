package dev.chopsticks.bot.commands;

import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/**
 * One slash command. {@link #execute} is plain Java (blocking is fine: it runs on a virtual thread), so handlers are
 * tested without JDA; {@link #definition} only builds JDA's registration data.
 */
public interface SlashCommand {
    String name();

    String description();

    SlashCommandData definition();

    CommandReply execute(CommandRequest request);

    /** Only answers the invoking user. */
    default boolean ephemeral() {
        return false;
    }

    /** Acknowledge at once and answer later; anything that touches the network or database should. */
    default boolean deferred() {
        return true;
    }
}
