package dev.chopsticks.bot.data;

/** Optimistic-lock retries ran out: too many writers on one row at once. Nothing was written by this attempt. */
public final class ConcurrentUpdateException extends RuntimeException {
    public ConcurrentUpdateException(String what, int attempts) {
        super(what + ": still conflicting after " + attempts + " attempts");
    }
}
