package dev.chopsticks.operator;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.migrations.MigrationJobs;
import dev.chopsticks.operator.rollout.GenerationState;
import dev.chopsticks.operator.rollout.RolloutObserver;
import dev.chopsticks.operator.shards.ShardPods;
import dev.chopsticks.operator.shards.ShardStatefulSet;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Map;

/**
 * The observe step: the cluster's objects as the informers hold them. Read before the apply (what exists), after it
 * (what the rollout works on) and after the rollout (what the status reports), since each step changes them.
 *
 * @param statefulSets shard StatefulSets of every generation, not being deleted
 * @param pods shard pods by name
 * @param shards the Shard objects
 * @param migrationJobs migration Jobs of every image
 */
record ClusterObjects(
        List<StatefulSet> statefulSets, Map<String, Pod> pods, List<Shard> shards, List<Job> migrationJobs) {

    static ClusterObjects read(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        String name = cluster.getMetadata().getName();
        List<StatefulSet> statefulSets = context.getSecondaryResourcesAsStream(StatefulSet.class)
                .filter(s -> ShardStatefulSet.isShardStatefulSetOf(cluster, s))
                .filter(s -> s.getMetadata().getDeletionTimestamp() == null)
                .toList();
        List<Shard> shards = context.getSecondaryResourcesAsStream(Shard.class)
                .filter(s -> s.getMetadata().getLabels() != null
                        && name.equals(s.getMetadata().getLabels().get(Labels.CLUSTER)))
                .toList();
        return new ClusterObjects(
                statefulSets, ShardPods.byName(cluster, context), shards, MigrationJobs.of(cluster, context));
    }

    /** The shard generations as their StatefulSets, pods and Shards show them. */
    List<GenerationState> generations() {
        return RolloutObserver.generations(statefulSets, pods.values(), shards);
    }

    /** Whether the StatefulSet of this generation exists. */
    boolean deployed(int generation) {
        return statefulSets.stream().anyMatch(s -> RolloutObserver.generationOf(s) == generation);
    }
}
