package dev.chopsticks.operator.validation;

/**
 * Why a cluster cannot be reconciled as specified. Reasons are CamelCase condition reasons; messages name
 * Secrets and keys but never contain their values.
 */
public record Problem(String reason, String message) {
    public static final String INVALID_NAME = "InvalidName";
    public static final String SECRET_MISSING = "SecretMissing";
    public static final String SECRET_INVALID = "SecretInvalid";
    public static final String POOL_BUDGET_EXCEEDED = "PoolBudgetExceeded";
}
