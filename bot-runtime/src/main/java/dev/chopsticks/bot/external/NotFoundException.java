package dev.chopsticks.bot.external;

/** The upstream answered 404: a healthy answer, so it does not count against the breaker. */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String what) {
        super(what + " not found", null, false, false);
    }
}
