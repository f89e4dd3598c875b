package dev.chopsticks.bot.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.chopsticks.bot.cache.Versioned;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.OptionalLong;

/** guild_settings rows: JSONB settings plus a revision used for compare-and-set writes. */
public final class GuildSettingsRepository {
    private final Jdbc jdbc;

    public GuildSettingsRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The stored settings, or defaults at revision 0 when the guild has no row yet. */
    public Versioned<GuildSettings> load(long guildId) {
        return jdbc.read("load guild settings", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT settings::text, revision FROM guild_settings WHERE guild_id = ?")) {
                ps.setLong(1, guildId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new Versioned<>(GuildSettings.defaults(), 0);
                    }
                    return new Versioned<>(decode(rs.getString(1)), rs.getLong(2));
                }
            }
        });
    }

    /**
     * Writes {@code settings} only if the row is still at {@code expectedRevision} (0 = no row yet).
     *
     * @return the new revision, or empty if another writer got there first
     */
    public OptionalLong compareAndSet(long guildId, long expectedRevision, GuildSettings settings) {
        String json = encode(settings);
        return jdbc.inTransaction("save guild settings", c -> {
            // One statement covers insert-if-absent and update-if-unchanged, so it works in PgBouncer transaction mode.
            String sql = """
                    INSERT INTO guild_settings AS g (guild_id, settings, revision) VALUES (?, ?::jsonb, 1)
                    ON CONFLICT (guild_id) DO UPDATE
                        SET settings = EXCLUDED.settings, revision = g.revision + 1, updated_at = now()
                        WHERE g.revision = ?
                    RETURNING revision""";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, guildId);
                ps.setString(2, json);
                ps.setLong(3, expectedRevision);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return OptionalLong.empty();
                    }
                    return OptionalLong.of(rs.getLong(1));
                }
            }
        });
    }

    static String encode(GuildSettings settings) {
        try {
            return Json.MAPPER.writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("guild settings not serialisable", e);
        }
    }

    static GuildSettings decode(String json) {
        try {
            return Json.MAPPER.readValue(json, GuildSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt guild settings JSON", e);
        }
    }
}
