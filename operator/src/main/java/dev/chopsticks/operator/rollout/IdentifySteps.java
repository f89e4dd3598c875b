package dev.chopsticks.operator.rollout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Packs pods into identify steps. Discord lets one shard per bucket ({@code shard_id % max_concurrency}) identify
 * every 5 s, so a step holds at most one shard per bucket: pods are taken in the given order and each goes into the
 * first step whose buckets it does not collide with (first fit). A pod whose own shards share a bucket (more shards
 * per pod than buckets) only ever forms a step on its own: its shards identify one after another inside the pod,
 * paced by the bot's identify queue.
 */
public final class IdentifySteps {
    private IdentifySteps() {}

    /** All steps, first fit, in order. */
    public static <T> List<List<T>> pack(List<T> pods, Function<T, List<Integer>> shardIds, int maxConcurrency) {
        List<List<T>> steps = new ArrayList<>();
        List<Map<Integer, Integer>> used = new ArrayList<>();
        for (T pod : pods) {
            Map<Integer, Integer> buckets = buckets(shardIds.apply(pod), maxConcurrency);
            int placed = -1;
            for (int i = 0; i < steps.size() && placed < 0; i++) {
                if (fits(used.get(i), buckets)) {
                    placed = i;
                }
            }
            if (placed < 0) {
                steps.add(new ArrayList<>());
                used.add(new HashMap<>());
                placed = steps.size() - 1;
            }
            steps.get(placed).add(pod);
            Map<Integer, Integer> u = used.get(placed);
            buckets.forEach((b, n) -> u.merge(b, n, Integer::sum));
        }
        return steps;
    }

    /** The first step of {@link #pack}: what may restart together now. Empty for no pods. */
    public static <T> List<T> first(List<T> pods, Function<T, List<Integer>> shardIds, int maxConcurrency) {
        List<List<T>> steps = pack(pods, shardIds, maxConcurrency);
        return steps.isEmpty() ? List.of() : steps.get(0);
    }

    /** Identify windows a pod needs by itself: its most crowded bucket. */
    public static int windowsOf(List<Integer> shardIds, int maxConcurrency) {
        return buckets(shardIds, maxConcurrency).values().stream()
                .mapToInt(Integer::intValue)
                .max()
                .orElse(0);
    }

    private static boolean fits(Map<Integer, Integer> used, Map<Integer, Integer> buckets) {
        if (used.isEmpty()) {
            return true;
        }
        for (var e : buckets.entrySet()) {
            if (used.getOrDefault(e.getKey(), 0) + e.getValue() > 1) {
                return false;
            }
        }
        return true;
    }

    private static Map<Integer, Integer> buckets(List<Integer> shardIds, int maxConcurrency) {
        Map<Integer, Integer> out = new HashMap<>();
        for (int id : shardIds) {
            out.merge(id % maxConcurrency, 1, Integer::sum);
        }
        return out;
    }
}
