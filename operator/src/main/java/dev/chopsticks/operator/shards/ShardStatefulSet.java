package dev.chopsticks.operator.shards;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.bot.BotContainer;
import dev.chopsticks.operator.bot.BotEnvironment;
import dev.chopsticks.operator.common.Annotations;
import dev.chopsticks.operator.common.ClusterInputs;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Hashing;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.OwnerReferences;
import dev.chopsticks.operator.common.PodSecurity;
import dev.chopsticks.operator.common.Scheduling;
import dev.chopsticks.operator.plan.ShardGeneration;
import dev.chopsticks.operator.plan.ShardPlan;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The shard StatefulSets, one per live shard generation ({@code <cluster>-shards} for generation 1,
 * {@code <cluster>-shards-g<N>} after reshards; see {@link dev.chopsticks.operator.rollout.GenerationPlanner}): one pod
 * per {@code shardsPerPod} shards, ordinal {@code p} running shards
 * {@code [p * SHARDS_PER_POD, min((p + 1) * SHARDS_PER_POD, SHARD_COUNT) - 1]} (the pod reads its ordinal from
 * {@code POD_NAME}). {@code OnDelete} updates: a template change never restarts pods by itself; the rollout logic
 * deletes pods in identify-paced steps, comparing each pod's {@value Annotations#POD_TEMPLATE_HASH} with the
 * StatefulSet's. A generation that is no longer live is deleted (its pods go with it).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_SHARD))
public class ShardStatefulSet extends KubernetesDependentResource<StatefulSet, ChopsticksCluster>
        implements CRUDKubernetesBulkDependentResource<StatefulSet, ChopsticksCluster>,
                KubernetesBulkDependentResource<StatefulSet, ChopsticksCluster>,
                GarbageCollected<ChopsticksCluster> {

    public static final String CONTAINER = "bot";

    public ShardStatefulSet() {
        super(StatefulSet.class);
    }

    @Override
    public Map<ResourceID, StatefulSet> desiredResources(
            ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        Map<ResourceID, StatefulSet> out = new LinkedHashMap<>();
        for (ShardGeneration g : ClusterInputs.from(context).generations()) {
            StatefulSet sts = desired(cluster, g.plan(), g.generation());
            if (g.pinned()) {
                String name = sts.getMetadata().getName();
                context.getSecondaryResourcesAsStream(StatefulSet.class)
                        .filter(o -> name.equals(o.getMetadata().getName()))
                        .findFirst()
                        .ifPresent(observed -> pinTemplate(sts, observed));
            }
            out.put(ResourceID.fromResource(sts), sts);
        }
        return out;
    }

    /**
     * A generation handing its sessions over keeps serving on the pod template it runs: its pods must not be
     * replaced while the successor gets warm, and it is deleted after the switch.
     */
    static void pinTemplate(StatefulSet desired, StatefulSet observed) {
        desired.getSpec().setTemplate(observed.getSpec().getTemplate());
        desired.getMetadata()
                .getAnnotations()
                .put(Annotations.POD_TEMPLATE_HASH, Annotations.podTemplateHash(observed));
    }

    @Override
    public Predicate<StatefulSet> secondaryResourceFilter(
            ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return s -> isShardStatefulSetOf(cluster, s);
    }

    /** A shard StatefulSet (any generation) of this cluster. */
    public static boolean isShardStatefulSetOf(ChopsticksCluster cluster, StatefulSet s) {
        Map<String, String> labels = s.getMetadata().getLabels();
        return labels != null
                && cluster.getMetadata().getName().equals(labels.get(Labels.INSTANCE))
                && Component.SHARD.label().equals(labels.get(Labels.COMPONENT));
    }

    @Override
    protected void addReferenceHandlingMetadata(StatefulSet desired, ChopsticksCluster primary) {
        OwnerReferences.set(desired, primary);
    }

    /** Pure: the generation-1 StatefulSet for a cluster and its shard plan. */
    public static StatefulSet desired(ChopsticksCluster cluster, ShardPlan plan) {
        return desired(cluster, plan, 1);
    }

    /**
     * Pure: the StatefulSet of one generation. From generation 2 its pods carry the generation label, which is also
     * part of its selector (generation 1's selector predates generations and cannot change: it matches every shard
     * pod of the cluster, but the StatefulSet controller only manages pods named after it).
     */
    public static StatefulSet desired(ChopsticksCluster cluster, ShardPlan plan, int generation) {
        PodTemplateSpec template = podTemplate(cluster, plan, generation);
        String hash = Hashing.of(template);
        template.getMetadata().setAnnotations(new TreeMap<>(Map.of(Annotations.POD_TEMPLATE_HASH, hash)));
        var meta = Metadata.of(cluster, Names.shardStatefulSet(cluster, generation), Component.SHARD);
        meta.getLabels().put(Labels.GENERATION, Integer.toString(generation));
        meta.setAnnotations(new TreeMap<>(Map.of(
                Annotations.POD_TEMPLATE_HASH, hash,
                Annotations.SHARD_COUNT, Integer.toString(plan.shards()),
                Annotations.SHARDS_PER_POD, Integer.toString(plan.shardsPerPod()))));
        return new StatefulSetBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withReplicas(plan.pods())
                .withServiceName(Names.shardService(cluster))
                .withPodManagementPolicy("Parallel")
                .withNewUpdateStrategy()
                .withType("OnDelete")
                .endUpdateStrategy()
                .withSelector(new LabelSelectorBuilder()
                        .withMatchLabels(podSelector(cluster, generation))
                        .build())
                .withTemplate(template)
                .endSpec()
                .build();
    }

    /** The labels selecting a generation's pods. */
    static Map<String, String> podSelector(ChopsticksCluster cluster, int generation) {
        Map<String, String> labels = new TreeMap<>(Labels.selector(cluster, Component.SHARD));
        if (generation > 1) {
            labels.put(Labels.GENERATION, Integer.toString(generation));
        }
        return labels;
    }

    /** The hash the rollout logic compares with each pod's annotation. */
    public static String podTemplateHash(StatefulSet statefulSet) {
        return Annotations.podTemplateHash(statefulSet);
    }

    static PodTemplateSpec podTemplate(ChopsticksCluster cluster, ShardPlan plan) {
        return podTemplate(cluster, plan, 1);
    }

    static PodTemplateSpec podTemplate(ChopsticksCluster cluster, ShardPlan plan, int generation) {
        var container = PodSecurity.restricted(
                BotContainer.of(cluster, CONTAINER, "run", BotEnvironment.shard(cluster, plan, generation))
                        .editReadinessProbe()
                        .withFailureThreshold(3)
                        .endReadinessProbe()
                        .editLivenessProbe()
                        .withFailureThreshold(6)
                        .endLivenessProbe());
        PodSpec pod = new PodSpecBuilder()
                .withServiceAccountName(Names.botServiceAccount(cluster))
                .withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(30L)
                .withSecurityContext(PodSecurity.pod(PodSecurity.BOT_UID))
                .withTopologySpreadConstraints(Scheduling.spreadOverNodes(cluster, Component.SHARD))
                .withContainers(container)
                .withVolumes(PodSecurity.tmpVolume())
                .build();
        Map<String, String> labels = new TreeMap<>(Labels.common(cluster, Component.SHARD));
        labels.putAll(podSelector(cluster, generation));
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withSpec(pod)
                .build();
    }
}
