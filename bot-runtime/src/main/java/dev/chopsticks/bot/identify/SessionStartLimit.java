package dev.chopsticks.bot.identify;

import java.time.Duration;

/** {@code session_start_limit} from {@code GET /gateway/bot}. */
public record SessionStartLimit(int total, int remaining, Duration resetAfter, int maxConcurrency) {}
