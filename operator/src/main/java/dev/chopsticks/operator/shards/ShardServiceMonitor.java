package dev.chopsticks.operator.shards;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Names;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GenericKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;

/**
 * A Prometheus Operator ServiceMonitor scraping every shard pod's {@code /metrics}. A GenericKubernetesResource, so
 * the operator does not depend on the Prometheus Operator's model; only active when its CRD exists
 * ({@link ServiceMonitorCrdPresent}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_SHARD))
public class ShardServiceMonitor extends GenericKubernetesDependentResource<ChopsticksCluster>
    implements Creator<GenericKubernetesResource, ChopsticksCluster>,
        Updater<GenericKubernetesResource, ChopsticksCluster>,
        GarbageCollected<ChopsticksCluster> {

  public static final String GROUP = "monitoring.coreos.com";
  public static final String VERSION = "v1";
  public static final String KIND = "ServiceMonitor";
  public static final String CRD_NAME = "servicemonitors." + GROUP;
  public static final GroupVersionKind GVK = new GroupVersionKind(GROUP, VERSION, KIND);

  public ShardServiceMonitor() {
    super(GVK);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(ChopsticksCluster primary, Context<ChopsticksCluster> context) {
    return new ResourceID(Names.shardServiceMonitor(primary), primary.getMetadata().getNamespace());
  }

  @Override
  protected void addReferenceHandlingMetadata(GenericKubernetesResource desired, ChopsticksCluster primary) {
    dev.chopsticks.operator.common.OwnerReferences.set(desired, primary);
  }

  @Override
  protected GenericKubernetesResource desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
    return desired(cluster);
  }

  public static GenericKubernetesResource desired(ChopsticksCluster cluster) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(GROUP + "/" + VERSION)
        .withKind(KIND)
        .withMetadata(new ObjectMetaBuilder()
            .withName(Names.shardServiceMonitor(cluster))
            .withNamespace(cluster.getMetadata().getNamespace())
            .withLabels(Labels.common(cluster, Component.SHARD))
            .build())
        .addToAdditionalProperties("spec", Map.of(
            "selector", Map.of("matchLabels", Labels.selector(cluster, Component.SHARD)),
            "namespaceSelector", Map.of("matchNames", List.of(cluster.getMetadata().getNamespace())),
            "endpoints", List.of(Map.of("port", "http", "path", "/metrics", "interval", "30s"))))
        .build();
  }
}
