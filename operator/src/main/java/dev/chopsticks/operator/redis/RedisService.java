package dev.chopsticks.operator.redis;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.Ports;
import dev.chopsticks.operator.common.Services;
import dev.chopsticks.operator.common.UpdatableClusterDependent;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** ClusterIP Service of the managed Redis ({@code redis://<cluster>-redis:6379}). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_REDIS))
public class RedisService extends UpdatableClusterDependent<Service> {

    public RedisService() {
        super(Service.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.redis(cluster);
    }

    @Override
    protected Service desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return desired(cluster);
    }

    public static Service desired(ChopsticksCluster cluster) {
        return Services.clusterIp(cluster, Names.redis(cluster), Component.REDIS, "redis", Ports.REDIS);
    }
}
