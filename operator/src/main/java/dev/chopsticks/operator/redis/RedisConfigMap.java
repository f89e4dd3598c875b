package dev.chopsticks.operator.redis;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.RedisSpec;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.UpdatableClusterDependent;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/** redis.conf of the managed Redis. The password is not here: it is included from the auth Secret. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_REDIS))
public class RedisConfigMap extends UpdatableClusterDependent<ConfigMap> {

    public static final String KEY = "redis.conf";
    public static final String MOUNT = "/etc/redis";

    public RedisConfigMap() {
        super(ConfigMap.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.redisConfig(cluster);
    }

    @Override
    protected ConfigMap desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return desired(cluster);
    }

    public static ConfigMap desired(ChopsticksCluster cluster) {
        return new ConfigMapBuilder()
                .withMetadata(Metadata.of(cluster, Names.redisConfig(cluster), Component.REDIS))
                .withData(Map.of(KEY, redisConf(cluster.getSpec().redis())))
                .build();
    }

    public static String redisConf(RedisSpec redis) {
        return """
        # Managed by chopsticks-operator: edits are reverted. Change spec.redis instead.
        bind 0.0.0.0
        port 6379
        protected-mode yes
        dir /data
        maxmemory %s
        maxmemory-policy %s
        appendonly %s
        include %s/%s
        """.formatted(
                        redis.maxMemory(),
                        redis.maxMemoryPolicy().configValue(),
                        redis.appendOnly() ? "yes" : "no",
                        RedisPasswordSecret.MOUNT,
                        RedisPasswordSecret.KEY_CONF);
    }
}
