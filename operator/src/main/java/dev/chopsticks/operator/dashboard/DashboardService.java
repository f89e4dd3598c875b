package dev.chopsticks.operator.dashboard;

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

/** ClusterIP Service of the dashboard. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_DASHBOARD))
public class DashboardService extends UpdatableClusterDependent<Service> {

    public DashboardService() {
        super(Service.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.dashboard(cluster);
    }

    @Override
    protected Service desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return desired(cluster);
    }

    public static Service desired(ChopsticksCluster cluster) {
        return Services.clusterIp(cluster, Names.dashboard(cluster), Component.DASHBOARD, "http", Ports.HTTP);
    }
}
