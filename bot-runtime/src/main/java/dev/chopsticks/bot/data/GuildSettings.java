package dev.chopsticks.bot.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Per-guild configuration, stored as JSONB so new settings need no migration.
 * Null channel ids / welcome message mean "not configured".
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GuildSettings(
        String prefix, String language, Long welcomeChannelId, String welcomeMessage, Long modLogChannelId) {

    public static final String DEFAULT_PREFIX = "!";
    public static final String DEFAULT_LANGUAGE = "en";

    public GuildSettings {
        prefix = prefix == null ? DEFAULT_PREFIX : prefix;
        language = language == null ? DEFAULT_LANGUAGE : language;
    }

    public static GuildSettings defaults() {
        return new GuildSettings(DEFAULT_PREFIX, DEFAULT_LANGUAGE, null, null, null);
    }

    public GuildSettings withPrefix(String value) {
        return new GuildSettings(value, language, welcomeChannelId, welcomeMessage, modLogChannelId);
    }

    public GuildSettings withLanguage(String value) {
        return new GuildSettings(prefix, value, welcomeChannelId, welcomeMessage, modLogChannelId);
    }

    public GuildSettings withWelcomeChannelId(Long value) {
        return new GuildSettings(prefix, language, value, welcomeMessage, modLogChannelId);
    }

    public GuildSettings withWelcomeMessage(String value) {
        return new GuildSettings(prefix, language, welcomeChannelId, value, modLogChannelId);
    }

    public GuildSettings withModLogChannelId(Long value) {
        return new GuildSettings(prefix, language, welcomeChannelId, welcomeMessage, value);
    }
}
