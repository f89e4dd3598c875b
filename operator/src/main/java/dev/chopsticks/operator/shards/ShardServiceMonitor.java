package dev.chopsticks.operator.shards;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.UpdatableClusterDependent;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;
import java.util.Map;

/**
 * A Prometheus Operator ServiceMonitor scraping every shard pod's {@code /metrics} through the headless shard
 * Service. An untyped {@link ServiceMonitorResource}, so the operator does not depend on the Prometheus Operator's
 * model; only active when its CRD exists ({@link ServiceMonitorCrdPresent}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_SHARD))
public class ShardServiceMonitor extends UpdatableClusterDependent<ServiceMonitorResource> {

    public static final String GROUP = "monitoring.coreos.com";
    public static final String VERSION = "v1";
    public static final String KIND = "ServiceMonitor";
    public static final String CRD_NAME = "servicemonitors." + GROUP;

    public ShardServiceMonitor() {
        super(ServiceMonitorResource.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.shardServiceMonitor(cluster);
    }

    @Override
    protected ServiceMonitorResource desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return desired(cluster);
    }

    public static ServiceMonitorResource desired(ChopsticksCluster cluster) {
        ServiceMonitorResource sm = new ServiceMonitorResource();
        sm.setApiVersion(GROUP + "/" + VERSION);
        sm.setKind(KIND);
        sm.setMetadata(Metadata.of(cluster, Names.shardServiceMonitor(cluster), Component.SHARD));
        sm.setAdditionalProperty(
                "spec",
                Map.of(
                        "selector", Map.of("matchLabels", Labels.selector(cluster, Component.SHARD)),
                        "namespaceSelector",
                                Map.of(
                                        "matchNames",
                                        List.of(cluster.getMetadata().getNamespace())),
                        "endpoints", List.of(Map.of("port", "http", "path", "/metrics", "interval", "30s"))));
        return sm;
    }
}
