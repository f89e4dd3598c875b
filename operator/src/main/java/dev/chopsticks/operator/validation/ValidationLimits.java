package dev.chopsticks.operator.validation;

import dev.chopsticks.api.v1alpha1.SchemaLimits;

/**
 * The operator's own limits on what it will plan, from its configuration. The CRD refuses more than
 * {@link SchemaLimits#MAX_SHARDS} planned shards; this holds also when the installed CRD is older or looser than the
 * operator's, and lets an operator be set lower than the schema.
 *
 * @param maxPlannedShards the most shards one cluster may plan ({@code MAX_PLANNED_SHARDS})
 */
public record ValidationLimits(int maxPlannedShards) {
    public ValidationLimits {
        if (maxPlannedShards < 1) {
            throw new IllegalArgumentException("maxPlannedShards must be positive");
        }
    }

    public static ValidationLimits defaults() {
        return new ValidationLimits(SchemaLimits.MAX_SHARDS);
    }
}
