package dev.chopsticks.operator.shards;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardSpec;
import dev.chopsticks.operator.common.ClusterInputs;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.OwnerReferences;
import dev.chopsticks.operator.plan.ShardGeneration;
import dev.chopsticks.operator.plan.ShardPlan;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One {@link Shard} object per Discord shard of each live generation, named {@code <cluster>-<id>} in generation 1
 * and {@code <cluster>-g<N>-<id>} from generation 2, labelled with the cluster, the shard id, the generation and its
 * shard count. Created with their generation and deleted when it is retired. Only the spec and labels are ours here; the pod side of the status is written by
 * {@link ShardStatusSync}, the gateway side by the bot.
 */
@KubernetesDependent(
        informer = @Informer(labelSelector = Labels.SELECT_SHARD, onUpdateFilter = ShardUpdateFilter.class))
public class ShardObjects extends KubernetesDependentResource<Shard, ChopsticksCluster>
        implements CRUDKubernetesBulkDependentResource<Shard, ChopsticksCluster>,
                KubernetesBulkDependentResource<Shard, ChopsticksCluster>,
                GarbageCollected<ChopsticksCluster> {

    public ShardObjects() {
        super(Shard.class);
    }

    @Override
    public Map<ResourceID, Shard> desiredResources(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        Map<ResourceID, Shard> out = new LinkedHashMap<>();
        for (ShardGeneration g : ClusterInputs.from(context).generations()) {
            out.putAll(desiredGeneration(cluster, g.plan(), g.generation()));
        }
        return out;
    }

    /** Pure: the generation-1 Shard objects of a plan, keyed by their ResourceID, in shard-id order. */
    public static Map<ResourceID, Shard> desired(ChopsticksCluster cluster, ShardPlan plan) {
        return desiredGeneration(cluster, plan, 1);
    }

    /** Pure: the Shard objects of one generation, keyed by their ResourceID, in shard-id order. */
    public static Map<ResourceID, Shard> desiredGeneration(ChopsticksCluster cluster, ShardPlan plan, int generation) {
        Map<ResourceID, Shard> out = new LinkedHashMap<>();
        plan.shardIds().forEach(id -> {
            Shard shard = desired(cluster, plan, generation, id);
            out.put(ResourceID.fromResource(shard), shard);
        });
        return out;
    }

    public static Shard desired(ChopsticksCluster cluster, ShardPlan plan, int shardId) {
        return desired(cluster, plan, 1, shardId);
    }

    public static Shard desired(ChopsticksCluster cluster, ShardPlan plan, int generation, int shardId) {
        String name = cluster.getMetadata().getName();
        Shard shard = new Shard(
                cluster.getMetadata().getNamespace(),
                Names.shardObject(cluster, generation, shardId),
                new ShardSpec(name, shardId, plan.shards(), generation));
        var meta = Metadata.of(cluster, shard.getMetadata().getName(), Component.SHARD);
        meta.getLabels().put(Labels.CLUSTER, name);
        meta.getLabels().put(Labels.SHARD_ID, Integer.toString(shardId));
        meta.getLabels().put(Labels.GENERATION, Integer.toString(generation));
        meta.getLabels().put(Labels.SHARD_COUNT, Integer.toString(plan.shards()));
        shard.setMetadata(meta);
        return shard;
    }

    @Override
    protected void addReferenceHandlingMetadata(Shard desired, ChopsticksCluster primary) {
        OwnerReferences.set(desired, primary);
    }

    @Override
    public Predicate<Shard> secondaryResourceFilter(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        String name = cluster.getMetadata().getName();
        return s -> name.equals(s.getMetadata().getLabels().get(Labels.CLUSTER));
    }

    /**
     * A cheap exact check instead of the generic SSA matcher (thousands of Shards per reconcile): our labels, the
     * spec and the owner reference. Anything else on the object is somebody else's.
     */
    @Override
    public Matcher.Result<Shard> match(
            Shard actual, Shard desired, ChopsticksCluster primary, Context<ChopsticksCluster> context) {
        return Matcher.Result.computed(matches(actual, desired, primary), desired);
    }

    static boolean matches(Shard actual, Shard desired, ChopsticksCluster primary) {
        Map<String, String> labels = actual.getMetadata().getLabels();
        boolean labelsMatch = labels != null
                && desired.getMetadata().getLabels().entrySet().stream()
                        .allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
        boolean owned = actual.getMetadata().getOwnerReferences().stream()
                .anyMatch((OwnerReference o) ->
                        Objects.equals(o.getUid(), primary.getMetadata().getUid())
                                && Boolean.TRUE.equals(o.getController()));
        return labelsMatch && owned && Objects.equals(actual.getSpec(), desired.getSpec());
    }
}
