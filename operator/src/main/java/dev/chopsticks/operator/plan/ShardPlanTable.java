package dev.chopsticks.operator.plan;

import dev.chopsticks.api.v1alpha1.ShardingSpec;
import java.util.List;
import java.util.Locale;

/**
 * Renders the README's worked shard table from {@link ShardPlan}, so the documentation is computed by the code
 * (and {@code ShardPlanTableTest} pins it). Run {@code main} to print it.
 */
public final class ShardPlanTable {

    public static final List<Long> README_GUILDS = List.of(1_000L, 10_000L, 16_000L, 20_000L, 150_000L, 1_000_000L);

    private ShardPlanTable() {}

    public static String render(List<Long> guildCounts) {
        StringBuilder out = new StringBuilder();
        out.append(
                "| Guilds | Shards | Guilds/shard | Pods (1 shard/pod) | Pods (4 shards/pod) | Cold start, maxConcurrency 1 | Shards, maxConcurrency 16 + shardCountMultiple 16 | Cold start, maxConcurrency 16 |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (long guilds : guildCounts) {
            ShardPlan plain = ShardPlan.compute(guilds, ShardingSpec.defaults());
            ShardPlan fourPerPod = ShardPlan.compute(guilds, new ShardingSpec(null, null, 4, null, null));
            ShardPlan large = ShardPlan.compute(guilds, new ShardingSpec(null, null, null, 16, 16));
            out.append("| ")
                    .append(group(guilds))
                    .append(" | ")
                    .append(group(plain.shards()))
                    .append(" | ")
                    .append(group(Math.round(plain.guildsPerShardActual())))
                    .append(" | ")
                    .append(group(plain.pods()))
                    .append(" | ")
                    .append(group(fourPerPod.pods()))
                    .append(" | ")
                    .append(duration(plain.minimumColdStartSeconds()))
                    .append(" | ")
                    .append(group(large.shards()))
                    .append(" | ")
                    .append(duration(large.minimumColdStartSeconds()))
                    .append(" |\n");
        }
        return out.toString();
    }

    static String group(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        StringBuilder b = new StringBuilder();
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0) {
            b.append(m).append('m');
        }
        if (s > 0 || b.isEmpty()) {
            b.append(s).append('s');
        }
        return b.toString();
    }

    public static void main(String[] args) {
        System.out.print(render(README_GUILDS));
    }
}
