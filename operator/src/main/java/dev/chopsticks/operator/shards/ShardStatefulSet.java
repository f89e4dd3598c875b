package dev.chopsticks.operator.shards;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Annotations;
import dev.chopsticks.operator.common.ClusterInputs;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Hashing;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.PodSecurity;
import dev.chopsticks.operator.common.Resources;
import dev.chopsticks.operator.common.UpdatableClusterDependent;
import dev.chopsticks.operator.sharding.ShardPlan;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shard StatefulSet: one pod per {@code shardsPerPod} shards, ordinal {@code p} running shards
 * {@code [p * SHARDS_PER_POD, min((p + 1) * SHARDS_PER_POD, SHARD_COUNT) - 1]} (the pod reads its ordinal from
 * {@code POD_NAME}). {@code OnDelete} updates: a template change never restarts pods by itself; the rollout logic
 * deletes pods in identify-paced waves, comparing each pod's {@value Annotations#POD_TEMPLATE_HASH} with the
 * StatefulSet's.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_SHARD))
public class ShardStatefulSet extends UpdatableClusterDependent<StatefulSet> {

  public static final String CONTAINER = "bot";

  public ShardStatefulSet() {
    super(StatefulSet.class);
  }

  @Override
  protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
    return Names.shardStatefulSet(cluster);
  }

  @Override
  protected StatefulSet desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
    return desired(cluster, ClusterInputs.from(context).plan());
  }

  /** Pure: the StatefulSet for a cluster and its shard plan. */
  public static StatefulSet desired(ChopsticksCluster cluster, ShardPlan plan) {
    PodTemplateSpec template = podTemplate(cluster, plan);
    String hash = Hashing.of(template);
    template.getMetadata().setAnnotations(new TreeMap<>(Map.of(Annotations.POD_TEMPLATE_HASH, hash)));
    var meta = Metadata.of(cluster, Names.shardStatefulSet(cluster), Component.SHARD);
    meta.setAnnotations(new TreeMap<>(Map.of(Annotations.POD_TEMPLATE_HASH, hash)));
    return new StatefulSetBuilder()
        .withMetadata(meta)
        .withNewSpec()
          .withReplicas(plan.pods())
          .withServiceName(Names.shardService(cluster))
          .withPodManagementPolicy("Parallel")
          .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
          .withSelector(new LabelSelectorBuilder().withMatchLabels(Labels.selector(cluster, Component.SHARD)).build())
          .withTemplate(template)
        .endSpec()
        .build();
  }

  /** The hash the rollout logic compares with each pod's annotation. */
  public static String podTemplateHash(StatefulSet statefulSet) {
    return statefulSet.getMetadata().getAnnotations().get(Annotations.POD_TEMPLATE_HASH);
  }

  static PodTemplateSpec podTemplate(ChopsticksCluster cluster, ShardPlan plan) {
    var bot = cluster.getSpec().bot();
    var container = new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(bot.image())
        .withArgs("run")
        .addNewPort().withName("http").withContainerPort(BotEnvironment.HTTP_PORT).withProtocol("TCP").endPort()
        .withEnv(BotEnvironment.shard(cluster, plan))
        .withResources(Resources.of(bot.resources()))
        .withReadinessProbe(new ProbeBuilder()
            .withNewHttpGet().withPath("/ready").withPort(new IntOrString("http")).endHttpGet()
            .withPeriodSeconds(5).withFailureThreshold(3).build())
        .withLivenessProbe(new ProbeBuilder()
            .withNewHttpGet().withPath("/health").withPort(new IntOrString("http")).endHttpGet()
            .withInitialDelaySeconds(30).withPeriodSeconds(10).withFailureThreshold(6).build())
        .withSecurityContext(PodSecurity.container())
        .withVolumeMounts(PodSecurity.tmpMount())
        .build();
    PodSpec pod = new PodSpecBuilder()
        .withServiceAccountName(Names.botServiceAccount(cluster))
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds(30L)
        .withSecurityContext(PodSecurity.pod(PodSecurity.BOT_UID))
        .withTopologySpreadConstraints(new TopologySpreadConstraintBuilder()
            .withMaxSkew(1)
            .withTopologyKey("kubernetes.io/hostname")
            .withWhenUnsatisfiable("ScheduleAnyway")
            .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Labels.selector(cluster, Component.SHARD)).build())
            .build())
        .withContainers(container)
        .withVolumes(PodSecurity.tmpVolume())
        .build();
    return new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(Labels.common(cluster, Component.SHARD)).endMetadata()
        .withSpec(pod)
        .build();
  }
}
