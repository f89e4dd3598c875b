package dev.chopsticks.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Pins the README's worked table: if the shard math changes, this test and the README change together. */
class ShardPlanTableTest {

    static final String README_TABLE = """
      | Guilds | Shards | Guilds/shard | Pods (1 shard/pod) | Pods (4 shards/pod) | Cold start, maxConcurrency 1 | Shards, maxConcurrency 16 + shardCountMultiple 16 | Cold start, maxConcurrency 16 |
      |---:|---:|---:|---:|---:|---:|---:|---:|
      | 1,000 | 1 | 1,000 | 1 | 1 | 5s | 16 | 5s |
      | 10,000 | 5 | 2,000 | 5 | 2 | 25s | 16 | 5s |
      | 16,000 | 8 | 2,000 | 8 | 2 | 40s | 16 | 5s |
      | 20,000 | 10 | 2,000 | 10 | 3 | 50s | 16 | 5s |
      | 150,000 | 75 | 2,000 | 75 | 19 | 6m15s | 80 | 25s |
      | 1,000,000 | 500 | 2,000 | 500 | 125 | 41m40s | 512 | 2m40s |
      """;

    @Test
    void readmeTableIsWhatTheCodeComputes() {
        assertThat(ShardPlanTable.render(ShardPlanTable.README_GUILDS)).isEqualTo(README_TABLE);
    }

    @Test
    void durations() {
        assertThat(ShardPlanTable.duration(0)).isEqualTo("0s");
        assertThat(ShardPlanTable.duration(3600)).isEqualTo("1h");
        assertThat(ShardPlanTable.duration(3725)).isEqualTo("1h2m5s");
    }
}
