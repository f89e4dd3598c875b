package dev.chopsticks.bot.data;

import java.time.Instant;

/** A user's coins; {@code lastDailyAt} is null until the first /daily. */
public record Wallet(long userId, long balance, Instant lastDailyAt) {

    public static Wallet empty(long userId) {
        return new Wallet(userId, 0, null);
    }
}
