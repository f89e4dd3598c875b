package dev.chopsticks.operator.validation;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.EnvVarSpec;
import dev.chopsticks.api.v1alpha1.RedisMode;
import dev.chopsticks.api.v1alpha1.SecretKeyRef;
import dev.chopsticks.api.v1alpha1.ShardingSpec;
import dev.chopsticks.operator.common.ClusterInputs;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.PostgresConnection;
import dev.chopsticks.operator.events.EventReason;
import dev.chopsticks.operator.pgbouncer.PoolBudget;
import dev.chopsticks.operator.plan.ShardPlan;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The validate step: everything that must hold before any owned resource is touched. A {@link Problem} stops the
 * reconcile (existing resources stay as they are) and is reported as Degraded. Pure given a Secret lookup.
 */
public final class ClusterValidator {

    /** The outcome: inputs for the dependents, or the first problem found. */
    public sealed interface Result permits Valid, Invalid {}

    public record Valid(ClusterInputs inputs, PoolBudget budget) implements Result {}

    public record Invalid(Problem problem) implements Result {}

    private ClusterValidator() {}

    /** With the default limits. */
    public static Result validate(ChopsticksCluster cluster, Function<String, Optional<Secret>> secrets) {
        return validate(cluster, ValidationLimits.defaults(), secrets);
    }

    public static Result validate(
            ChopsticksCluster cluster, ValidationLimits limits, Function<String, Optional<Secret>> secrets) {
        ChopsticksClusterSpec spec = cluster.getSpec();
        String name = cluster.getMetadata().getName();
        if (name.length() > Names.MAX_CLUSTER_NAME) {
            return invalid(
                    EventReason.INVALID_NAME,
                    "metadata.name '" + name + "' is longer than " + Names.MAX_CLUSTER_NAME
                            + " characters; derived names (pods, migration Jobs) would exceed Kubernetes' 63-character label limit");
        }
        // arithmetic only: nothing per shard is allocated before the count is known to be within the limit
        ShardPlan plan;
        try {
            plan = ShardPlan.compute(spec.guilds(), spec.sharding());
        } catch (IllegalArgumentException e) {
            plan = null;
        }
        if (plan == null || plan.shards() > limits.maxPlannedShards()) {
            return invalid(EventReason.SHARD_LIMIT_EXCEEDED, shardLimitMessage(spec, plan, limits));
        }

        String pgSecretName = spec.postgres().connectionSecret();
        Optional<Secret> pgSecret = secrets.apply(pgSecretName);
        if (pgSecret.isEmpty()) {
            return invalid(
                    EventReason.SECRET_MISSING,
                    "Secret '" + pgSecretName
                            + "' (postgres.connectionSecret) not found; it needs keys host, port, dbname, user, password");
        }
        Map<String, String> pg = decode(pgSecret.get());
        for (String key : PostgresConnection.KEYS) {
            String v = pg.get(key);
            if (v == null || v.isBlank()) {
                return invalid(
                        EventReason.SECRET_INVALID,
                        "Secret '" + pgSecretName + "' (postgres.connectionSecret) has no key '" + key
                                + "' (or it is empty); it needs keys host, port, dbname, user, password");
            }
        }
        int port;
        try {
            port = Integer.parseInt(pg.get(PostgresConnection.KEY_PORT).trim());
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65_535) {
            return invalid(
                    EventReason.SECRET_INVALID,
                    "Secret '" + pgSecretName
                            + "' (postgres.connectionSecret): key 'port' is not a port number (1-65535)");
        }

        Optional<Problem> missing = checkKey(secrets, spec.bot().discordToken(), "bot.discordToken");
        // Every bot pod gets ADMIN_TOKEN when it is set, dashboard or not: a missing key would stop them all.
        if (missing.isEmpty() && spec.dashboard().adminToken() != null) {
            missing = checkKey(secrets, spec.dashboard().adminToken(), "dashboard.adminToken");
        }
        if (missing.isEmpty()
                && spec.redis().mode() == RedisMode.EXTERNAL
                && spec.redis().external() != null
                && spec.redis().external().urlSecretRef() != null) {
            missing = checkKey(secrets, spec.redis().external().urlSecretRef(), "redis.external.urlSecretRef");
        }
        for (EnvVarSpec e : spec.bot().env()) {
            if (missing.isEmpty() && e.secretKeyRef() != null) {
                missing = checkKey(secrets, e.secretKeyRef(), "bot.env[" + e.name() + "]");
            }
        }
        if (missing.isPresent()) {
            return new Invalid(missing.get());
        }

        PoolBudget budget = PoolBudget.of(spec, plan);
        if (budget.exceeded()) {
            return invalid(EventReason.POOL_BUDGET_EXCEEDED, budget.refusal().orElseThrow());
        }
        PostgresConnection connection = PostgresConnection.fromDecoded(pg);
        return new Valid(new ClusterInputs(plan, Optional.of(connection)), budget);
    }

    private static Optional<Problem> checkKey(
            Function<String, Optional<Secret>> secrets, SecretKeyRef ref, String field) {
        if (ref == null) {
            return Optional.of(new Problem(EventReason.SECRET_MISSING, field + " is not set"));
        }
        Optional<Secret> secret = secrets.apply(ref.name());
        if (secret.isEmpty()) {
            return Optional.of(
                    new Problem(EventReason.SECRET_MISSING, "Secret '" + ref.name() + "' (" + field + ") not found"));
        }
        Secret s = secret.get();
        boolean hasKey = (s.getData() != null && s.getData().containsKey(ref.key()))
                || (s.getStringData() != null && s.getStringData().containsKey(ref.key()));
        if (!hasKey) {
            return Optional.of(new Problem(
                    EventReason.SECRET_INVALID,
                    "Secret '" + ref.name() + "' (" + field + ") has no key '" + ref.key() + "'"));
        }
        return Optional.empty();
    }

    private static String shardLimitMessage(ChopsticksClusterSpec spec, ShardPlan plan, ValidationLimits limits) {
        var sharding = spec.sharding() == null ? ShardingSpec.defaults() : spec.sharding();
        String planned = plan == null ? "more than " + Integer.MAX_VALUE : String.valueOf(plan.shards());
        return "spec.guilds " + spec.guilds() + " at sharding.guildsPerShard " + sharding.guildsPerShard()
                + (sharding.shards() == null ? "" : ", sharding.shards " + sharding.shards())
                + (sharding.shardCountMultiple() == null
                        ? ""
                        : ", sharding.shardCountMultiple " + sharding.shardCountMultiple())
                + " plans " + planned + " shards, more than this operator's limit of " + limits.maxPlannedShards()
                + " (MAX_PLANNED_SHARDS); nothing is created until the spec plans fewer";
    }

    private static Invalid invalid(EventReason reason, String message) {
        return new Invalid(new Problem(reason, message));
    }

    /** Decoded data (stringData wins, as the API server would merge it). Values stay in memory only. */
    static Map<String, String> decode(Secret secret) {
        Map<String, String> out = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> {
                try {
                    out.put(k, v == null ? null : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    out.put(k, null);
                }
            });
        }
        if (secret.getStringData() != null) {
            out.putAll(secret.getStringData());
        }
        return out;
    }
}
