package dev.chopsticks.bot.data;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.Map;

/** Adds batched usage counts to command_stats in one transaction. */
public final class CommandStatsRepository {
    private final Jdbc jdbc;

    public CommandStatsRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void addUsage(LocalDate day, Map<String, Long> usesByCommand) {
        if (usesByCommand.isEmpty()) {
            return;
        }
        jdbc.inTransaction("flush command stats", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO command_stats AS s (command_name, day, uses) VALUES (?, ?, ?)
                    ON CONFLICT (command_name, day) DO UPDATE SET uses = s.uses + EXCLUDED.uses""")) {
                for (Map.Entry<String, Long> e : usesByCommand.entrySet()) {
                    ps.setString(1, e.getKey());
                    ps.setDate(2, Date.valueOf(day));
                    ps.setLong(3, e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    public long usesOn(String command, LocalDate day) {
        return jdbc.read("read command stats", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT uses FROM command_stats WHERE command_name = ? AND day = ?")) {
                ps.setString(1, command);
                ps.setDate(2, Date.valueOf(day));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }
}
