package dev.chopsticks.bot.discord;

import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.hooks.EventListener;

/**
 * The JDA side of {@link InteractionHandoff}: every slash command goes through the claim rule across shard
 * generations (see there) before reaching the handler. The arrival time is taken here, so the latency metric and the
 * 3 s deadlines still count from when Discord's event arrived, not from when the claim was won.
 */
public final class GenerationHandoffListener implements EventListener {
    private final InteractionHandoff handoff;
    private final InteractionHandler handler;

    public GenerationHandoffListener(InteractionHandoff handoff, InteractionHandler handler) {
        this.handoff = handoff;
        this.handler = handler;
    }

    @Override
    public void onEvent(GenericEvent event) {
        // Slash commands are the only interactions the bot answers; other events are not its business.
        if (event instanceof SlashCommandInteractionEvent interaction) {
            long received = System.nanoTime();
            handoff.offer(interaction.getIdLong(), () -> handler.handle(interaction, received));
        }
    }
}
