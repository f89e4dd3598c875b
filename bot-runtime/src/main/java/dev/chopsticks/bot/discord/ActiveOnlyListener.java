package dev.chopsticks.bot.discord;

import java.util.function.BooleanSupplier;
import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.hooks.EventListener;

/**
 * Hands events on only while this pod's shard generation is the active one (see ActiveGeneration). For events other
 * than slash commands (member joins); those go through {@link GenerationHandoffListener} instead.
 */
public final class ActiveOnlyListener implements EventListener {
    private final BooleanSupplier active;
    private final EventListener delegate;

    public ActiveOnlyListener(BooleanSupplier active, EventListener delegate) {
        this.active = active;
        this.delegate = delegate;
    }

    @Override
    public void onEvent(GenericEvent event) {
        if (active.getAsBoolean()) {
            delegate.onEvent(event);
        }
    }
}
