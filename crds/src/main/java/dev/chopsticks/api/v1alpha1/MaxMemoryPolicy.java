package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** Redis maxmemory-policy values. */
public enum MaxMemoryPolicy {
    @JsonProperty("allkeys-lru")
    ALLKEYS_LRU,
    @JsonProperty("allkeys-lfu")
    ALLKEYS_LFU,
    @JsonProperty("allkeys-random")
    ALLKEYS_RANDOM,
    @JsonProperty("volatile-lru")
    VOLATILE_LRU,
    @JsonProperty("volatile-lfu")
    VOLATILE_LFU,
    @JsonProperty("volatile-random")
    VOLATILE_RANDOM,
    @JsonProperty("volatile-ttl")
    VOLATILE_TTL,
    @JsonProperty("noeviction")
    NOEVICTION;

    /** The value as written in redis.conf. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
