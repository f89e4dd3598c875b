package dev.chopsticks.bot.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The bot's side of the operator's Shard contract: reporting each shard's gateway state to its {@code Shard} object
 * ({@code <cluster>-<shardId>} in the pod's namespace), and following the active resharding generation.
 * {@code SHARD_STATUS_REPORTING=auto} (default) does both only inside Kubernetes ({@code KUBERNETES_SERVICE_HOST} set).
 *
 * @param cluster    {@code CHOPSTICKS_CLUSTER}; empty when reporting is off
 * @param generation {@code CHOPSTICKS_GENERATION} (resharding generation of this pod; absent: 1)
 * @param namePrefix Shard object names before the shard id: {@code SHARD_NAME_PREFIX} (the operator sets it from
 *                   resharding generation 2 on), else {@code <CHOPSTICKS_CLUSTER>-}; empty when reporting is off
 * @param namespace  {@code POD_NAMESPACE}; empty when reporting is off
 * @param interval   at most one write per shard per interval, phase changes excepted
 * @param standbyDelay {@code INTERACTION_STANDBY_DELAY_MS} (0-2000, default 750): how long a standby generation waits
 *                   before claiming an interaction the active one may have missed (see GenerationHandoffListener);
 *                   capped so the standby still answers well inside Discord's 3 s window
 */
public record ShardStatusConfig(
        boolean enabled,
        Optional<String> cluster,
        int generation,
        Optional<String> namePrefix,
        Optional<String> namespace,
        Duration interval,
        Duration standbyDelay) {

    public static final Duration DEFAULT_STANDBY_DELAY = Duration.ofMillis(750);

    public static ShardStatusConfig disabled() {
        return new ShardStatusConfig(
                false,
                Optional.empty(),
                1,
                Optional.empty(),
                Optional.empty(),
                Duration.ofSeconds(30),
                DEFAULT_STANDBY_DELAY);
    }

    public static ShardStatusConfig fromEnv(EnvReader env) {
        String mode = env.oneOf("SHARD_STATUS_REPORTING", "auto", Set.of("auto", "true", "false"));
        boolean inCluster = env.optional("KUBERNETES_SERVICE_HOST").isPresent();
        boolean enabled = mode.equals("true") || (mode.equals("auto") && inCluster);
        Duration interval = Duration.ofSeconds(env.intInRange("SHARD_STATUS_INTERVAL_SECONDS", 30, 1, 3_600));
        int generation = env.intInRange("CHOPSTICKS_GENERATION", 1, 1, 999_999_999);
        Duration standbyDelay = Duration.ofMillis(
                env.intInRange("INTERACTION_STANDBY_DELAY_MS", (int) DEFAULT_STANDBY_DELAY.toMillis(), 0, 2_000));
        // Looked up even when reporting is off: the operator sets them on every shard pod, and they are known here.
        Optional<String> clusterName = env.optional("CHOPSTICKS_CLUSTER");
        Optional<String> namePrefix = env.optional("SHARD_NAME_PREFIX");
        Optional<String> podNamespace = env.optional("POD_NAMESPACE");
        if (!enabled) {
            return new ShardStatusConfig(
                    false, Optional.empty(), generation, Optional.empty(), Optional.empty(), interval, standbyDelay);
        }
        String cluster = clusterName.orElseThrow(() -> new ConfigException(
                "CHOPSTICKS_CLUSTER",
                "is required: the ChopsticksCluster name (Shard objects are <cluster>-<shardId>)"
                        + " or SHARD_STATUS_REPORTING=false"));
        String prefix = namePrefix.orElse(cluster + "-");
        String namespace = podNamespace.orElseThrow(() -> new ConfigException(
                "POD_NAMESPACE",
                "is required: the pod's namespace (downward API metadata.namespace)"
                        + " or SHARD_STATUS_REPORTING=false"));
        return new ShardStatusConfig(
                true,
                Optional.of(cluster),
                generation,
                Optional.of(prefix),
                Optional.of(namespace),
                interval,
                standbyDelay);
    }
}
