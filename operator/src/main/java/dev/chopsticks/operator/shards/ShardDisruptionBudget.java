package dev.chopsticks.operator.shards;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.UpdatableClusterDependent;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Voluntary disruptions (node drains) take at most one shard pod at a time: each costs re-identifies. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_SHARD))
public class ShardDisruptionBudget extends UpdatableClusterDependent<PodDisruptionBudget> {

    public ShardDisruptionBudget() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.shardDisruptionBudget(cluster);
    }

    @Override
    protected PodDisruptionBudget desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return desired(cluster);
    }

    public static PodDisruptionBudget desired(ChopsticksCluster cluster) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(Metadata.of(cluster, Names.shardDisruptionBudget(cluster), Component.SHARD))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withSelector(new LabelSelectorBuilder()
                        .withMatchLabels(Labels.selector(cluster, Component.SHARD))
                        .build())
                .endSpec()
                .build();
    }
}
