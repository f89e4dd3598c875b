package dev.chopsticks.bot.data;

import dev.chopsticks.bot.cache.Versioned;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Wallet balances. Every change locks the rows it touches, so concurrent /pay and /daily never lose coins. */
public final class WalletRepository {
    private final Jdbc jdbc;

    public WalletRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public sealed interface DailyResult {
        record Claimed(Versioned<Wallet> wallet, long amount) implements DailyResult {}

        record TooSoon(Instant nextClaimAt) implements DailyResult {}
    }

    public sealed interface TransferResult {
        record Done(Versioned<Wallet> from, Versioned<Wallet> to) implements TransferResult {}

        record InsufficientFunds(long balance) implements TransferResult {}
    }

    public Versioned<Wallet> load(long userId) {
        return jdbc.read("load wallet", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT user_id, balance, last_daily_at, revision FROM user_wallets WHERE user_id = ?")) {
                ps.setLong(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? read(rs) : new Versioned<>(Wallet.empty(userId), 0);
                }
            }
        });
    }

    public DailyResult claimDaily(long userId, long amount, Instant now, Duration cooldown) {
        return jdbc.inTransaction("claim daily", c -> {
            ensureRows(c, List.of(userId));
            Versioned<Wallet> current = lockAll(c, List.of(userId)).getFirst();
            Instant last = current.value().lastDailyAt();
            if (last != null && last.plus(cooldown).isAfter(now)) {
                return new DailyResult.TooSoon(last.plus(cooldown));
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE user_wallets SET balance = balance + ?, last_daily_at = ?, revision = revision + 1, updated_at = now()
                    WHERE user_id = ? RETURNING user_id, balance, last_daily_at, revision""")) {
                ps.setLong(1, amount);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setLong(3, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new DailyResult.Claimed(read(rs), amount);
                }
            }
        });
    }

    public TransferResult transfer(long fromUserId, long toUserId, long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        if (fromUserId == toUserId) {
            throw new IllegalArgumentException("cannot pay yourself");
        }
        return jdbc.inTransaction("transfer coins", c -> {
            ensureRows(c, List.of(fromUserId, toUserId));
            List<Versioned<Wallet>> locked = lockAll(c, List.of(fromUserId, toUserId));
            Versioned<Wallet> from = locked.stream()
                    .filter(w -> w.value().userId() == fromUserId)
                    .findFirst()
                    .orElseThrow();
            if (from.value().balance() < amount) {
                return new TransferResult.InsufficientFunds(from.value().balance());
            }
            Versioned<Wallet> newFrom = adjust(c, fromUserId, -amount);
            Versioned<Wallet> newTo = adjust(c, toUserId, amount);
            return new TransferResult.Done(newFrom, newTo);
        });
    }

    private static void ensureRows(Connection c, List<Long> userIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO user_wallets (user_id) SELECT unnest(?::bigint[]) ORDER BY 1 ON CONFLICT (user_id) DO NOTHING")) {
            ps.setArray(1, c.createArrayOf("bigint", userIds.toArray()));
            ps.executeUpdate();
        }
    }

    /** Locks in id order so two opposite transfers cannot deadlock. */
    private static List<Versioned<Wallet>> lockAll(Connection c, List<Long> userIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT user_id, balance, last_daily_at, revision FROM user_wallets
                WHERE user_id = ANY(?::bigint[]) ORDER BY user_id FOR UPDATE""")) {
            ps.setArray(1, c.createArrayOf("bigint", userIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                List<Versioned<Wallet>> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(read(rs));
                }
                return result;
            }
        }
    }

    private static Versioned<Wallet> adjust(Connection c, long userId, long delta) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE user_wallets SET balance = balance + ?, revision = revision + 1, updated_at = now()
                WHERE user_id = ? RETURNING user_id, balance, last_daily_at, revision""")) {
            ps.setLong(1, delta);
            ps.setLong(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return read(rs);
            }
        }
    }

    private static Versioned<Wallet> read(ResultSet rs) throws SQLException {
        Timestamp last = rs.getTimestamp(3);
        return new Versioned<>(
                new Wallet(rs.getLong(1), rs.getLong(2), last == null ? null : last.toInstant()), rs.getLong(4));
    }
}
