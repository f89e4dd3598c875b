package dev.chopsticks.discordsim.identify;

import java.util.function.LongSupplier;

/**
 * The daily session-start budget. Each successful IDENTIFY spends one start; the budget refills
 * {@code period} after the first start of the window, as on Discord.
 */
public final class SessionStartBudget {
    private static final long DAY_MS = 24L * 60 * 60 * 1000;

    private final LongSupplier clockMs;
    private int total;
    private int remaining;
    private long windowStartMs = -1;
    private long exhaustions;

    public SessionStartBudget(int total, LongSupplier clockMs) {
        this.total = total;
        this.remaining = total;
        this.clockMs = clockMs;
    }

    /** Spends one session start; false when the budget is exhausted. */
    public synchronized boolean tryConsume() {
        refillIfDue();
        if (remaining <= 0) {
            exhaustions++;
            return false;
        }
        if (windowStartMs < 0) {
            windowStartMs = clockMs.getAsLong();
        }
        remaining--;
        return true;
    }

    /** Counts an identify that found the budget empty (it cost the bot its token). */
    public synchronized void recordExhaustion() {
        exhaustions++;
    }

    public synchronized boolean exhausted() {
        refillIfDue();
        return remaining <= 0;
    }

    public synchronized void set(int newTotal, int newRemaining) {
        if (newTotal < 0 || newRemaining < 0 || newRemaining > newTotal) {
            throw new IllegalArgumentException("0 <= remaining <= total is required");
        }
        total = newTotal;
        remaining = newRemaining;
        windowStartMs = newRemaining < newTotal ? clockMs.getAsLong() : -1;
    }

    public synchronized SessionStartLimit snapshot(int maxConcurrency) {
        refillIfDue();
        long resetAfter = windowStartMs < 0 ? DAY_MS : Math.max(0, windowStartMs + DAY_MS - clockMs.getAsLong());
        return new SessionStartLimit(total, remaining, resetAfter, maxConcurrency);
    }

    public synchronized long exhaustions() {
        return exhaustions;
    }

    private void refillIfDue() {
        if (windowStartMs >= 0 && clockMs.getAsLong() - windowStartMs >= DAY_MS) {
            remaining = total;
            windowStartMs = -1;
        }
    }
}
