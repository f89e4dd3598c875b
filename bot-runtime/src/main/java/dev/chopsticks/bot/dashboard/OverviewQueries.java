package dev.chopsticks.bot.dashboard;

import dev.chopsticks.bot.data.Jdbc;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The overview's reads. Each is cheap whatever the bot's size: row counts come from PostgreSQL's statistics instead
 * of {@code count(*)}, and command_stats holds one row per command per day.
 */
final class OverviewQueries {
    /** The tables whose size the overview shows, in the order shown. */
    static final List<String> TABLES = List.of("guild_settings", "user_wallets", "moderation_cases", "command_stats");

    private final Jdbc jdbc;
    private final Clock clock;

    OverviewQueries(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    ClusterOverview read() {
        return jdbc.read("read cluster overview", c -> {
            // The shards count usage per UTC day (CommandUsageFlusher); the session time zone must not shift it.
            LocalDate today = LocalDate.now(clock);
            return new ClusterOverview(
                    clock.instant(),
                    schemaVersion(c),
                    estimatedRows(c),
                    usesOn(c, today),
                    usesSince(c, today.minusDays(6)));
        });
    }

    private static String schemaVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                        SELECT version FROM flyway_schema_history
                        WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1""");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : "none";
        }
    }

    private static Map<String, Long> estimatedRows(Connection c) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE relname = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", TABLES.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, Long> found = new TreeMap<>();
                while (rs.next()) {
                    found.put(rs.getString(1), rs.getLong(2));
                }
                for (String table : TABLES) {
                    rows.put(table, found.getOrDefault(table, 0L));
                }
            }
        }
        return rows;
    }

    private static Map<String, Long> usesOn(Connection c, LocalDate day) throws SQLException {
        Map<String, Long> uses = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT command_name, uses FROM command_stats WHERE day = ?")) {
            ps.setDate(1, Date.valueOf(day));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    uses.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return uses;
    }

    private static long usesSince(Connection c, LocalDate first) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT coalesce(sum(uses), 0) FROM command_stats WHERE day >= ?")) {
            ps.setDate(1, Date.valueOf(first));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
