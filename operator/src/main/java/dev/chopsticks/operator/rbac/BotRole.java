package dev.chopsticks.operator.rbac;

import dev.chopsticks.api.v1alpha1.ApiGroup;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.UpdatableClusterDependent;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * What a bot pod may do, and nothing more: read Shards and {@code get}/{@code patch} their status in its own
 * namespace, and read/watch its cluster's active-generation ConfigMap (nothing else of ConfigMaps).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_BOT_RBAC))
public class BotRole extends UpdatableClusterDependent<Role> {

    public BotRole() {
        super(Role.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.botRole(cluster);
    }

    @Override
    protected Role desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return desired(cluster);
    }

    public static Role desired(ChopsticksCluster cluster) {
        return new RoleBuilder()
                .withMetadata(Metadata.of(cluster, Names.botRole(cluster), Component.BOT_RBAC))
                .withRules(
                        new PolicyRuleBuilder()
                                .withApiGroups(ApiGroup.GROUP)
                                .withResources("shards")
                                .withVerbs("get")
                                .build(),
                        new PolicyRuleBuilder()
                                .withApiGroups(ApiGroup.GROUP)
                                .withResources("shards/status")
                                .withVerbs("get", "patch")
                                .build(),
                        // the active-generation switch (ConfigMap <cluster>-generation), read and watched by the bots
                        new PolicyRuleBuilder()
                                .withApiGroups("")
                                .withResources("configmaps")
                                .withResourceNames(Names.generationConfigMap(cluster))
                                .withVerbs("get", "list", "watch")
                                .build())
                .build();
    }
}
