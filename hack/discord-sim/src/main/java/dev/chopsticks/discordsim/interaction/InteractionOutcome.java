package dev.chopsticks.discordsim.interaction;

import java.time.Duration;
import java.util.List;

/**
 * How the bot answered an interaction.
 *
 * @param callbackType the interaction callback type (4 message, 5 deferred, ...), 0 if not acknowledged yet
 * @param firstResponse injection to the first visible response (the callback, a "thinking" state included)
 * @param finalResponse injection to the reply with content (type 4, or the first edit/follow-up after a deferral);
 *     null while the bot has not finished
 */
public record InteractionOutcome(
        long interactionId,
        int callbackType,
        List<InteractionReply> replies,
        Duration firstResponse,
        Duration finalResponse) {

    public boolean complete() {
        return finalResponse != null;
    }

    /** Content of the latest reply that carries content, or null. */
    public String content() {
        for (int i = replies.size() - 1; i >= 0; i--) {
            String c = replies.get(i).content();
            if (c != null) {
                return c;
            }
        }
        return null;
    }
}
