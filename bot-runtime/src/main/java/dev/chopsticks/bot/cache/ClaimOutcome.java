package dev.chopsticks.bot.cache;

/**
 * Result of a first-writer-wins Redis write ({@code SET NX}): this caller won, someone else already holds the key, or
 * Redis could not say (breaker open, error, timeout) and the caller must decide without it.
 */
public enum ClaimOutcome {
    CLAIMED,
    TAKEN,
    UNAVAILABLE
}
