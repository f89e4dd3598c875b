package dev.chopsticks.operator.rbac;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.UpdatableClusterDependent;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Identity of the shard pods (they report their Shard's gateway status). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_BOT_RBAC))
public class BotServiceAccount extends UpdatableClusterDependent<ServiceAccount> {

    public BotServiceAccount() {
        super(ServiceAccount.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.botServiceAccount(cluster);
    }

    @Override
    protected ServiceAccount desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return desired(cluster);
    }

    public static ServiceAccount desired(ChopsticksCluster cluster) {
        return new ServiceAccountBuilder()
                .withMetadata(Metadata.of(cluster, Names.botServiceAccount(cluster), Component.BOT_RBAC))
                .build();
    }
}
