package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Discord's daily session-start budget. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdentifyStatus(
        @JsonPropertyDescription("IDENTIFYs sent in the last 24 hours.")
        Integer usedLast24h,

        @JsonPropertyDescription("session_start_limit.remaining as last reported by Discord.")
        Integer remaining,

        @JsonPropertyDescription("session_start_limit.total.")
        Integer total) {}
