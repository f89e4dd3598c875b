package dev.chopsticks.operator.shards;

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

/** Headless Service of the shard StatefulSet (stable pod DNS; the ServiceMonitor's target). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_SHARD))
public class ShardService extends UpdatableClusterDependent<Service> {

    public ShardService() {
        super(Service.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.shardService(cluster);
    }

    @Override
    protected Service desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return desired(cluster);
    }

    public static Service desired(ChopsticksCluster cluster) {
        return Services.headless(cluster, Names.shardService(cluster), Component.SHARD, "http", Ports.HTTP);
    }
}
