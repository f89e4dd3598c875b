package dev.chopsticks.bot.identify;

import java.time.Duration;

/** Whether a shard may identify now; when not, why (for log and Shard status) and when to ask again. */
public record IdentifyDecision(boolean allowed, String reason, String message, Duration retryAfter) {

    public static final String BUDGET = "budget";
    public static final String SHARD_CAP = "shard_cap";

    static IdentifyDecision allow() {
        return new IdentifyDecision(true, null, null, Duration.ZERO);
    }

    static IdentifyDecision refuse(String reason, String message, Duration retryAfter) {
        return new IdentifyDecision(false, reason, message, retryAfter);
    }
}
