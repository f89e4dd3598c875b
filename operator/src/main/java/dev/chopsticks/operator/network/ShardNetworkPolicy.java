package dev.chopsticks.operator.network;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.ClusterInputs;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.UpdatableClusterDependent;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Shard pods: ingress only on the ops port, egress only to DNS, Discord and the API server, the database and Redis. See {@link ComponentPolicies}. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_SHARD))
public class ShardNetworkPolicy extends UpdatableClusterDependent<NetworkPolicy> {

    public ShardNetworkPolicy() {
        super(NetworkPolicy.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.shardNetworkPolicy(cluster);
    }

    @Override
    protected NetworkPolicy desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return desired(cluster, ClusterInputs.from(context).requirePostgres().port());
    }

    public static NetworkPolicy desired(ChopsticksCluster cluster, int postgresPort) {
        return ComponentPolicies.shards(cluster, Names.shardNetworkPolicy(cluster), postgresPort);
    }
}
