package dev.chopsticks.bot.data;

import dev.chopsticks.bot.cache.CacheStats;
import dev.chopsticks.bot.cache.LayeredCache;
import dev.chopsticks.bot.cache.Versioned;
import java.time.Clock;
import java.time.Duration;

/** Wallets: cached reads like guild settings; changes go to PostgreSQL under row locks, then refresh the caches. */
public final class UserDataStore {
    public static final long DAILY_AMOUNT = 250;
    public static final Duration DAILY_COOLDOWN = Duration.ofHours(24);

    private final WalletRepository repository;
    private final LayeredCache<Wallet> cache;
    private final Clock clock;

    public UserDataStore(WalletRepository repository, LayeredCache<Wallet> cache, Clock clock) {
        this.repository = repository;
        this.cache = cache;
        this.clock = clock;
    }

    public Versioned<Wallet> wallet(long userId) {
        return cache.get(userId, repository::load);
    }

    public WalletRepository.DailyResult claimDaily(long userId) {
        WalletRepository.DailyResult result =
                repository.claimDaily(userId, DAILY_AMOUNT, clock.instant(), DAILY_COOLDOWN);
        if (result instanceof WalletRepository.DailyResult.Claimed claimed) {
            cache.written(userId, claimed.wallet());
        }
        return result;
    }

    public WalletRepository.TransferResult pay(long fromUserId, long toUserId, long amount) {
        WalletRepository.TransferResult result = repository.transfer(fromUserId, toUserId, amount);
        if (result instanceof WalletRepository.TransferResult.Done done) {
            cache.written(fromUserId, done.from());
            cache.written(toUserId, done.to());
        }
        return result;
    }

    public CacheStats stats() {
        return cache.stats();
    }
}
