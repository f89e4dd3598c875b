package dev.chopsticks.bot.data;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Moderation cases with per-guild sequential numbers. */
public final class ModerationCaseRepository {
    private final Jdbc jdbc;

    public ModerationCaseRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public ModerationCase create(long guildId, String action, long targetUserId, long moderatorUserId, String reason) {
        return jdbc.inTransaction("create moderation case", c -> {
            // One statement: the counter upsert row-locks, so concurrent cases get distinct numbers atomically.
            String sql = """
                    WITH n AS (
                        INSERT INTO moderation_case_counters AS m (guild_id, last_case_number) VALUES (?, 1)
                        ON CONFLICT (guild_id) DO UPDATE SET last_case_number = m.last_case_number + 1
                        RETURNING last_case_number)
                    INSERT INTO moderation_cases (guild_id, case_number, action, target_user_id, moderator_user_id, reason)
                    SELECT ?, last_case_number, ?, ?, ?, ? FROM n
                    RETURNING guild_id, case_number, action, target_user_id, moderator_user_id, reason, created_at""";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, guildId);
                ps.setLong(2, guildId);
                ps.setString(3, action);
                ps.setLong(4, targetUserId);
                ps.setLong(5, moderatorUserId);
                ps.setString(6, reason);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return read(rs);
                }
            }
        });
    }

    /** Newest first; {@code targetUserId} 0 lists the whole guild. */
    public List<ModerationCase> list(long guildId, long targetUserId, int limit) {
        return jdbc.read("list moderation cases", c -> {
            String sql = "SELECT guild_id, case_number, action, target_user_id, moderator_user_id, reason, created_at "
                    + "FROM moderation_cases WHERE guild_id = ? AND (? = 0 OR target_user_id = ?) "
                    + "ORDER BY case_number DESC LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, guildId);
                ps.setLong(2, targetUserId);
                ps.setLong(3, targetUserId);
                ps.setInt(4, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<ModerationCase> result = new ArrayList<>();
                    while (rs.next()) {
                        result.add(read(rs));
                    }
                    return result;
                }
            }
        });
    }

    private static ModerationCase read(ResultSet rs) throws SQLException {
        return new ModerationCase(
                rs.getLong(1),
                rs.getInt(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getString(6),
                rs.getTimestamp(7).toInstant());
    }
}
