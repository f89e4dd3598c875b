package dev.chopsticks.bot.cache;

/** Outcome of an L2 read: a value, a clean miss, or Redis unavailable (breaker open, timeout, disconnected). */
public sealed interface L2Result {
    record Hit(String value) implements L2Result {}

    record Miss() implements L2Result {}

    record Unavailable() implements L2Result {}

    Miss MISS = new Miss();
    Unavailable UNAVAILABLE = new Unavailable();
}
