package dev.chopsticks.operator.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * One shard generation (one StatefulSet) as observed: its layout, the StatefulSet's pod-template hash and its pods
 * and Shards.
 *
 * @param generation generation number (1 = the cluster's first StatefulSet)
 * @param shardCount shards of this generation
 * @param shardsPerPod shards each pod runs
 * @param statefulSet StatefulSet name
 * @param targetHash the StatefulSet's pod-template hash; null when the StatefulSet does not exist (yet)
 * @param controllerCurrent the StatefulSet controller has observed the StatefulSet's current spec
 *     ({@code status.observedGeneration}), so a pod deleted now comes back on {@code targetHash}, not on the revision
 *     before it
 * @param pods pods by ordinal
 * @param shards Shards by id
 */
public record GenerationState(
        int generation,
        int shardCount,
        int shardsPerPod,
        String statefulSet,
        String targetHash,
        boolean controllerCurrent,
        Map<Integer, PodState> pods,
        Map<Integer, ShardState> shards) {

    public GenerationState {
        if (shardCount < 1 || shardsPerPod < 1) {
            throw new IllegalArgumentException("shardCount and shardsPerPod must be positive");
        }
        pods = Map.copyOf(pods);
        shards = Map.copyOf(shards);
    }

    public int podCount() {
        return (shardCount + shardsPerPod - 1) / shardsPerPod;
    }

    /** Shard ids of pod {@code ordinal}. */
    public List<Integer> shardIdsOf(int ordinal) {
        int first = ordinal * shardsPerPod;
        int last = Math.min(first + shardsPerPod, shardCount) - 1;
        List<Integer> ids = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            ids.add(i);
        }
        return ids;
    }

    /** The Shards of pod {@code ordinal} (an id without a Shard object yet gets an empty state). */
    public List<ShardState> shardsOf(int ordinal) {
        return shardIdsOf(ordinal).stream()
                .map(id -> shards.getOrDefault(id, ShardState.fresh(id, null)))
                .toList();
    }

    public Optional<PodState> pod(int ordinal) {
        return Optional.ofNullable(pods.get(ordinal));
    }

    /**
     * Every shard reports Ready in a session of its current pod, and every pod runs the StatefulSet's revision: the
     * generation can take over.
     */
    public boolean allReady() {
        return everyShard(ShardState::readyOn);
    }

    /**
     * As {@link #allReady}, but a shard may also be warm in {@code Standby}, waiting to take its session over from
     * the serving generation (a make-before-break rollout): what the switch to this generation needs.
     */
    public boolean readyToServe() {
        return everyShard((shard, pod) -> shard.readyOn(pod) || shard.standbyOn(pod));
    }

    private boolean everyShard(BiPredicate<ShardState, PodState> ok) {
        if (targetHash == null) {
            return false;
        }
        for (int ordinal = 0; ordinal < podCount(); ordinal++) {
            PodState pod = pods.get(ordinal);
            if (pod == null || pod.terminating() || !targetHash.equals(pod.templateHash())) {
                return false;
            }
            for (int id : shardIdsOf(ordinal)) {
                ShardState shard = shards.get(id);
                if (shard == null || !ok.test(shard, pod)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Shards that report Ready in a session of their current pod. */
    public int readyShards() {
        return count(ShardState::readyOn);
    }

    /** Shards Ready or in Standby (warm, waiting to take their session over) on their current pod. */
    public int warmShards() {
        return count((shard, pod) -> shard.readyOn(pod) || shard.standbyOn(pod));
    }

    private int count(BiPredicate<ShardState, PodState> ok) {
        int n = 0;
        for (int ordinal = 0; ordinal < podCount(); ordinal++) {
            PodState pod = pods.get(ordinal);
            for (int id : shardIdsOf(ordinal)) {
                ShardState shard = shards.get(id);
                if (pod != null && shard != null && ok.test(shard, pod)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Pods in ordinal order. */
    public List<PodState> podsInOrder() {
        return new ArrayList<>(new TreeMap<>(pods).values());
    }
}
