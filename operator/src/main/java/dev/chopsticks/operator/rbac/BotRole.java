package dev.chopsticks.operator.rbac;

import dev.chopsticks.api.v1alpha1.ApiGroup;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.ClusterInputs;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.UpdatableClusterDependent;
import dev.chopsticks.operator.plan.ShardGeneration;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;

/**
 * What a bot pod may do, and nothing more: {@code get} its own cluster's Shards and {@code get}/{@code patch} their
 * status (by name: RBAC has no label selectors, so {@code resourceNames} lists every Shard of the live generations and
 * the bots of one cluster cannot touch another cluster's Shards in the same namespace), and read/watch its cluster's
 * active-generation ConfigMap (nothing else of ConfigMaps). At the 20,000-shard limit the names are about 400 KB.
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
        return desired(cluster, ClusterInputs.from(context).generations());
    }

    public static Role desired(ChopsticksCluster cluster, List<ShardGeneration> generations) {
        List<String> shards = new ArrayList<>();
        for (ShardGeneration g : generations) {
            for (int id = 0; id < g.plan().shards(); id++) {
                shards.add(Names.shardObject(cluster, g.generation(), id));
            }
        }
        return new RoleBuilder()
                .withMetadata(Metadata.of(cluster, Names.botRole(cluster), Component.BOT_RBAC))
                .withRules(
                        new PolicyRuleBuilder()
                                .withApiGroups(ApiGroup.GROUP)
                                .withResources("shards")
                                .withResourceNames(shards)
                                .withVerbs("get")
                                .build(),
                        new PolicyRuleBuilder()
                                .withApiGroups(ApiGroup.GROUP)
                                .withResources("shards/status")
                                .withResourceNames(shards)
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
