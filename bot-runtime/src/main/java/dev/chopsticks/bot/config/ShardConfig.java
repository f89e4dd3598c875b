package dev.chopsticks.bot.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * Which shards this process runs. Set by the operator; part 2 (gateway wiring) owns the semantics.
 *
 * @param shardCount   total shards across all pods
 * @param shardsPerPod how many shards one pod runs, if the operator said
 * @param shardIds     the shards this process runs
 */
public record ShardConfig(int shardCount, OptionalInt shardsPerPod, List<Integer> shardIds) {

    public static ShardConfig single() {
        return new ShardConfig(1, OptionalInt.empty(), List.of(0));
    }

    public static ShardConfig fromEnv(EnvReader env) {
        int count = env.intInRange("SHARD_COUNT", 1, 1, 100_000);
        Optional<String> perPodRaw = env.optional("SHARDS_PER_POD");
        OptionalInt perPod = perPodRaw.isPresent()
                ? OptionalInt.of(env.intInRange("SHARDS_PER_POD", 1, 1, count))
                : OptionalInt.empty();
        List<Integer> ids = env.optional("SHARD_IDS")
                .map(raw -> parseIds(raw, count))
                .orElseGet(() -> IntStream.range(0, count).boxed().toList());
        return new ShardConfig(count, perPod, ids);
    }

    /** "0,1,2" or ranges "0-3,8". */
    static List<Integer> parseIds(String raw, int count) {
        String rule = "must be shard ids or ranges from 0 to SHARD_COUNT-1 (" + (count - 1) + "), e.g. 0,1 or 0-3, got '"
                + EnvReader.printable(raw) + "'";
        List<Integer> ids = new ArrayList<>();
        try {
            for (String part : raw.split(",")) {
                String p = part.trim();
                int dash = p.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
                if (from < 0 || to >= count || from > to) {
                    throw new ConfigException("SHARD_IDS", rule);
                }
                for (int i = from; i <= to; i++) {
                    if (!ids.contains(i)) {
                        ids.add(i);
                    }
                }
            }
        } catch (NumberFormatException e) {
            throw new ConfigException("SHARD_IDS", rule);
        }
        return List.copyOf(ids);
    }
}
