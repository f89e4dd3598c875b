package dev.chopsticks.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.api.v1alpha1.ShardSpec;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardReadinessTest {

    static Shard shard(int generation, int id, int count, ShardPhase phase, int guilds) {
        Shard s = new Shard(
                "bots", "chopsticks-g" + generation + "-" + id, new ShardSpec("chopsticks", id, count, generation));
        s.setStatus(
                new ShardStatus(id + "/" + count, phase, guilds, null, null, null, null, null, null, null, null, null));
        return s;
    }

    /** A reshard from 2 to 3 shards: generation 1 serves, generation 2 is starting. */
    static final List<Shard> RESHARDING = List.of(
            shard(1, 0, 2, ShardPhase.Ready, 1000),
            shard(1, 1, 2, ShardPhase.Ready, 1100),
            shard(2, 0, 3, ShardPhase.Ready, 700),
            shard(2, 1, 3, ShardPhase.Starting, 0),
            shard(2, 2, 3, ShardPhase.Ready, 650));

    @Test
    void withGenerationsTheTargetCountsAndTheActiveHoldsTheGuilds() {
        assertThat(ShardReadiness.ofGenerations(RESHARDING, 3, 2, 1)).isEqualTo(new ShardReadiness(2, 2100));
        assertThat(ShardReadiness.ofGenerations(RESHARDING, 3, 2, 2)).isEqualTo(new ShardReadiness(2, 1350));
    }

    @Test
    void withoutGenerationsTheShardsOfTheCurrentCountCount() {
        assertThat(ShardReadiness.ofShardCount(RESHARDING, 2)).isEqualTo(new ShardReadiness(2, 2100));
        assertThat(ShardReadiness.ofShardCount(RESHARDING, 3)).isEqualTo(new ShardReadiness(2, 1350));
        assertThat(ShardReadiness.ofShardCount(List.of(), 3)).isEqualTo(new ShardReadiness(0, 0));
    }
}
