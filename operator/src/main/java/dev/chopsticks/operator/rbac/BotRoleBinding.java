package dev.chopsticks.operator.rbac;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.UpdatableClusterDependent;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Binds {@link BotRole} to {@link BotServiceAccount}. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_BOT_RBAC))
public class BotRoleBinding extends UpdatableClusterDependent<RoleBinding> {

    public BotRoleBinding() {
        super(RoleBinding.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.botRoleBinding(cluster);
    }

    @Override
    protected RoleBinding desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return desired(cluster);
    }

    public static RoleBinding desired(ChopsticksCluster cluster) {
        return new RoleBindingBuilder()
                .withMetadata(Metadata.of(cluster, Names.botRoleBinding(cluster), Component.BOT_RBAC))
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role")
                .withName(Names.botRole(cluster))
                .endRoleRef()
                .withSubjects(new SubjectBuilder()
                        .withKind("ServiceAccount")
                        .withName(Names.botServiceAccount(cluster))
                        .withNamespace(cluster.getMetadata().getNamespace())
                        .build())
                .build();
    }
}
