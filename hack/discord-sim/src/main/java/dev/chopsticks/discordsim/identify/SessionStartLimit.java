package dev.chopsticks.discordsim.identify;

/** Discord's {@code session_start_limit} object from {@code GET /gateway/bot}. */
public record SessionStartLimit(int total, int remaining, long resetAfterMs, int maxConcurrency) {}
