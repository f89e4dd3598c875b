package dev.chopsticks.bot.discord;

import java.util.ArrayList;
import java.util.List;
import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.hooks.EventListener;

/**
 * Registered with the ShardManager before the gateway starts, while the real listener (which needs the data layer)
 * is still being built: events arriving in between are kept and handed over in order, so no interaction is lost
 * because the gateway came up first.
 */
public final class DeferredListener implements EventListener {
    private static final int MAX_BUFFERED = 10_000;

    private final List<GenericEvent> buffered = new ArrayList<>();
    private volatile EventListener delegate;

    @Override
    public void onEvent(GenericEvent event) {
        EventListener d = delegate;
        if (d == null) {
            synchronized (this) {
                d = delegate;
                if (d == null) {
                    if (buffered.size() < MAX_BUFFERED) {
                        buffered.add(event);
                    }
                    return;
                }
            }
        }
        d.onEvent(event);
    }

    /** Hands over the buffered events, then every later one. */
    public synchronized void attach(EventListener listener) {
        for (GenericEvent e : buffered) {
            listener.onEvent(e);
        }
        buffered.clear();
        delegate = listener;
    }
}
