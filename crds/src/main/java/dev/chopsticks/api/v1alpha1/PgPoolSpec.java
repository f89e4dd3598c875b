package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Connection pool of each bot process. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
        value = "self.min <= self.max",
        message = "pgPool.min must not exceed pgPool.max",
        fieldPath = ".min",
        reason = "FieldValueForbidden")
public record PgPoolSpec(
        @Default("5") @Min(1) @Max(100) @JsonPropertyDescription("Maximum connections per bot process (PG_POOL_MAX).")
        Integer max,

        @Default("2")
        @Min(0)
        @Max(100)
        @JsonPropertyDescription("Minimum idle connections per bot process (PG_POOL_MIN).")
        Integer min) {

    public PgPoolSpec {
        max = max == null ? 5 : max;
        min = min == null ? 2 : min;
    }

    public static PgPoolSpec defaults() {
        return new PgPoolSpec(null, null);
    }
}
