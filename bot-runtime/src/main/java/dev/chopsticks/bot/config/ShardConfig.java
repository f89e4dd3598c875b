package dev.chopsticks.bot.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Which shards this process runs, as the operator assigned them. In order of precedence:
 * <ol>
 *   <li>{@code SHARD_IDS} ("0,1,2" or ranges "0-3,8"): exactly these;</li>
 *   <li>{@code SHARDS_PER_POD}: StatefulSet pod {@code <name>-<p>} (ordinal from {@code POD_NAME}, else
 *       {@code HOSTNAME}) runs {@code [p * SHARDS_PER_POD, min((p + 1) * SHARDS_PER_POD, SHARD_COUNT) - 1]};</li>
 *   <li>neither: every shard {@code 0 .. SHARD_COUNT-1} (one process runs the whole bot).</li>
 * </ol>
 *
 * @param shardCount   total shards across all pods
 * @param shardsPerPod how many shards one pod runs, if the operator said
 * @param shardIds     the shards this process runs, ascending
 */
public record ShardConfig(int shardCount, OptionalInt shardsPerPod, List<Integer> shardIds) {

    private static final Pattern ORDINAL = Pattern.compile("^.+-(\\d+)$");

    public static ShardConfig single() {
        return new ShardConfig(1, OptionalInt.empty(), List.of(0));
    }

    /** Shards {@code 0 .. count-1}, all in this process (a single-process bot, tests). */
    public static ShardConfig all(int count) {
        return new ShardConfig(
                count, OptionalInt.empty(), IntStream.range(0, count).boxed().toList());
    }

    public static ShardConfig fromEnv(EnvReader env) {
        int count = env.intInRange("SHARD_COUNT", 1, 1, 100_000);
        Optional<String> perPodRaw = env.optional("SHARDS_PER_POD");
        OptionalInt perPod = perPodRaw.isPresent()
                ? OptionalInt.of(env.intInRange("SHARDS_PER_POD", 1, 1, count))
                : OptionalInt.empty();
        Optional<String> explicit = env.optional("SHARD_IDS");
        List<Integer> ids;
        if (explicit.isPresent()) {
            ids = parseIds(explicit.get(), count);
        } else if (perPod.isPresent()) {
            ids = podRange(podOrdinal(env), perPod.getAsInt(), count);
        } else {
            ids = IntStream.range(0, count).boxed().toList();
        }
        return new ShardConfig(count, perPod, ids);
    }

    /** The StatefulSet ordinal: the number after the last '-' of POD_NAME (downward API), else HOSTNAME. */
    static int podOrdinal(EnvReader env) {
        String variable = env.optional("POD_NAME").isPresent() ? "POD_NAME" : "HOSTNAME";
        String name = env.optional(variable)
                .orElseThrow(() -> new ConfigException(
                        "POD_NAME",
                        "is required with SHARDS_PER_POD (StatefulSet pod name <name>-<ordinal>), or set SHARD_IDS"));
        Matcher m = ORDINAL.matcher(name);
        if (!m.matches()) {
            throw new ConfigException(
                    variable,
                    "must end in -<ordinal> (StatefulSet pod name) when SHARDS_PER_POD is set, got '"
                            + EnvReader.printable(name) + "'");
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            throw new ConfigException(variable, "ordinal out of range in '" + EnvReader.printable(name) + "'");
        }
    }

    static List<Integer> podRange(int ordinal, int perPod, int count) {
        long first = (long) ordinal * perPod;
        if (first >= count) {
            throw new ConfigException(
                    "SHARDS_PER_POD",
                    "pod ordinal " + ordinal + " x " + perPod + " shards per pod is past SHARD_COUNT " + count
                            + " (too many replicas?)");
        }
        int last = (int) Math.min(first + perPod, count) - 1;
        return IntStream.rangeClosed((int) first, last).boxed().toList();
    }

    /** "0,1,2" or ranges "0-3,8". */
    static List<Integer> parseIds(String raw, int count) {
        String rule = "must be shard ids or ranges from 0 to SHARD_COUNT-1 (" + (count - 1)
                + "), e.g. 0,1 or 0-3, got '" + EnvReader.printable(raw) + "'";
        List<Integer> ids = new ArrayList<>();
        try {
            for (String part : raw.split(",")) {
                String p = part.trim();
                int dash = p.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int to =
                        dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
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
        return ids.stream().sorted().toList();
    }
}
