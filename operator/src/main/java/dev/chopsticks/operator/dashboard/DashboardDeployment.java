package dev.chopsticks.operator.dashboard;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.bot.BotContainer;
import dev.chopsticks.operator.bot.BotEnvironment;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.PodSecurity;
import dev.chopsticks.operator.common.UpdatableClusterDependent;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The bot image in dashboard mode ({@code args: [dashboard]}), with ADMIN_TOKEN from the referenced Secret. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_DASHBOARD))
public class DashboardDeployment extends UpdatableClusterDependent<Deployment> {

    public static final String CONTAINER = "dashboard";

    public DashboardDeployment() {
        super(Deployment.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.dashboard(cluster);
    }

    @Override
    protected Deployment desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return desired(cluster);
    }

    public static Deployment desired(ChopsticksCluster cluster) {
        var container = PodSecurity.restricted(
                BotContainer.of(cluster, CONTAINER, "dashboard", BotEnvironment.dashboard(cluster)));
        return new DeploymentBuilder()
                .withMetadata(Metadata.of(cluster, Names.dashboard(cluster), Component.DASHBOARD))
                .withNewSpec()
                .withReplicas(1)
                .withSelector(new LabelSelectorBuilder()
                        .withMatchLabels(Labels.selector(cluster, Component.DASHBOARD))
                        .build())
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Labels.common(cluster, Component.DASHBOARD))
                .endMetadata()
                .withSpec(
                        PodSecurity.isolatedPod(PodSecurity.BOT_UID, container).build())
                .endTemplate()
                .endSpec()
                .build();
    }
}
