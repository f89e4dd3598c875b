package dev.chopsticks.operator.network;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.Ports;
import dev.chopsticks.operator.common.UpdatableClusterDependent;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** PgBouncer accepts connections only from this cluster's shard, dashboard and migration pods. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_PGBOUNCER))
public class PgBouncerNetworkPolicy extends UpdatableClusterDependent<NetworkPolicy> {

    public PgBouncerNetworkPolicy() {
        super(NetworkPolicy.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.pgbouncerNetworkPolicy(cluster);
    }

    @Override
    protected NetworkPolicy desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return desired(cluster);
    }

    public static NetworkPolicy desired(ChopsticksCluster cluster) {
        return ClientPods.policy(cluster, Names.pgbouncerNetworkPolicy(cluster), Component.PGBOUNCER, Ports.PGBOUNCER);
    }
}
