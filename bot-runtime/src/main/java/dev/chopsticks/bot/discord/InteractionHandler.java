package dev.chopsticks.bot.discord;

import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;

/** Answers a slash command that this process may handle; {@code receivedNanos} is its arrival ({@link System#nanoTime()}). */
@FunctionalInterface
public interface InteractionHandler {
    void handle(SlashCommandInteractionEvent event, long receivedNanos);
}
