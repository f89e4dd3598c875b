package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Cache layers of each bot process; durations are Go-style strings such as 60s or 1m30s. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
        value = "!has(self.guildTtl) || (self.guildTtl.matches('" + Durations.PATTERN + "')"
                + " && duration(self.guildTtl) >= duration('" + "1ms" + "')"
                + " && duration(self.guildTtl) <= duration('24h'))",
        message = "bot.cache.guildTtl must be a duration from 1ms to 24h, e.g. 60s",
        fieldPath = ".guildTtl",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "!has(self.userTtl) || (self.userTtl.matches('" + Durations.PATTERN + "')"
                + " && duration(self.userTtl) >= duration('" + "1ms" + "')"
                + " && duration(self.userTtl) <= duration('24h'))",
        message = "bot.cache.userTtl must be a duration from 1ms to 24h, e.g. 30s",
        fieldPath = ".userTtl",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "!has(self.redisGuildTtl) || (self.redisGuildTtl.matches('" + Durations.PATTERN + "')"
                + " && duration(self.redisGuildTtl) >= duration('" + "1s" + "')"
                + " && duration(self.redisGuildTtl) <= duration('24h'))",
        message = "bot.cache.redisGuildTtl must be a duration from 1s to 24h, e.g. 60s",
        fieldPath = ".redisGuildTtl",
        reason = "FieldValueForbidden")
public record CacheSpec(
        @Default("2000")
        @Min(1)
        @Max(SchemaLimits.MAX_CACHE_ENTRIES)
        @JsonPropertyDescription("Maximum guild entries in the in-process L1 cache (LOCAL_CACHE_GUILD_MAX).")
        Integer guildMax,

        @Default("60s")
        @Size(max = Durations.MAX_LENGTH)
        @JsonPropertyDescription("TTL of guild entries in L1, from write (LOCAL_CACHE_GUILD_TTL).")
        String guildTtl,

        @Default("5000")
        @Min(1)
        @Max(SchemaLimits.MAX_CACHE_ENTRIES)
        @JsonPropertyDescription("Maximum user entries in L1 (LOCAL_CACHE_USER_MAX).")
        Integer userMax,

        @Default("30s")
        @Size(max = Durations.MAX_LENGTH)
        @JsonPropertyDescription("TTL of user entries in L1 (LOCAL_CACHE_USER_TTL).")
        String userTtl,

        @Default("60s")
        @Size(max = Durations.MAX_LENGTH)
        @JsonPropertyDescription(
                "TTL of guild entries in Redis (GUILD_CACHE_TTL_SEC); the scaling guide matches it to the L1 TTL.")
        String redisGuildTtl) {

    public CacheSpec {
        guildMax = guildMax == null ? 2000 : guildMax;
        guildTtl = guildTtl == null ? "60s" : guildTtl;
        userMax = userMax == null ? 5000 : userMax;
        userTtl = userTtl == null ? "30s" : userTtl;
        redisGuildTtl = redisGuildTtl == null ? "60s" : redisGuildTtl;
    }

    public static CacheSpec defaults() {
        return new CacheSpec(null, null, null, null, null);
    }
}
