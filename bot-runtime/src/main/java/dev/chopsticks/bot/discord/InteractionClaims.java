package dev.chopsticks.bot.discord;

import dev.chopsticks.bot.cache.ClaimOutcome;
import java.util.concurrent.CompletionStage;

/** First-claimer-wins ownership of an interaction, shared by every generation of shard pods (see InteractionHandoff). */
@FunctionalInterface
public interface InteractionClaims {
    /**
     * Claims the interaction for this process. Must not block; should complete normally (a failure counts as
     * {@link ClaimOutcome#UNAVAILABLE}), on any thread.
     */
    CompletionStage<ClaimOutcome> claim(long interactionId);
}
