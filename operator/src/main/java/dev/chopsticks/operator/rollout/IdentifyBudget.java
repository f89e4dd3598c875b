package dev.chopsticks.operator.rollout;

import java.util.OptionalInt;

/**
 * Session starts a plan may still spend: Discord's remaining daily budget (when the bots reported it) minus a
 * reserve. Without a report the budget is not limited here (the bots' own identify guard still is).
 */
final class IdentifyBudget {
    private final OptionalInt remaining;
    private final int reserve;
    private int spent;

    IdentifyBudget(OptionalInt remaining, int reserve) {
        this.remaining = remaining;
        this.reserve = reserve;
    }

    /** Spends {@code identifies} if they fit above the reserve. */
    boolean take(int identifies) {
        if (remaining.isEmpty()) {
            return true;
        }
        if (remaining.getAsInt() - spent - identifies < reserve) {
            return false;
        }
        spent += identifies;
        return true;
    }

    String describe() {
        return remaining.isEmpty()
                ? "unknown"
                : remaining.getAsInt() + " session starts left today, " + reserve + " kept in reserve";
    }
}
