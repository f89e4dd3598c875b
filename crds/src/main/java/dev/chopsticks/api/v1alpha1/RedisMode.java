package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who runs Redis: the operator (managed) or the user (external). */
public enum RedisMode {
    @JsonProperty("managed")
    MANAGED,
    @JsonProperty("external")
    EXTERNAL
}
