package dev.chopsticks.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chopsticks.api.v1alpha1.ShardingSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardPlanTest {

    private static ShardingSpec spec(Integer perShard, Integer shards, Integer perPod, Integer mc, Integer multiple) {
        return new ShardingSpec(perShard, shards, perPod, mc, multiple);
    }

    @ParameterizedTest(name = "{0} guilds -> {1} shards")
    @CsvSource({
        "1, 1",
        "1000, 1",
        "2000, 1",
        "2001, 2",
        "10000, 5",
        "16000, 8",
        "20000, 10",
        "24000, 12",
        "150000, 75",
        "1000000, 500",
        "4000000, 2000"
    })
    void shardsAreCeilOfGuildsOverTwoThousandByDefault(long guilds, int shards) {
        assertThat(ShardPlan.compute(guilds, ShardingSpec.defaults()).shards()).isEqualTo(shards);
    }

    @Test
    void zeroGuildsStillRunsOneShard() {
        assertThat(ShardPlan.compute(0, null).shards()).isEqualTo(1);
    }

    @Test
    void guildsPerShardIsNeverAboveDiscordsLimit() {
        ShardPlan plan = ShardPlan.compute(10_000, spec(5_000, null, null, null, null));
        assertThat(plan.guildsPerShard()).isEqualTo(2_500);
        assertThat(plan.shards()).isEqualTo(4);
    }

    @Test
    void explicitShardsWinWhenTheyCanHoldTheGuildsAt2500() {
        assertThat(ShardPlan.compute(16_000, spec(null, 7, null, null, null)).shards())
                .isEqualTo(7);
        assertThat(ShardPlan.compute(16_000, spec(null, 40, null, null, null)).shards())
                .isEqualTo(40);
        ShardPlan exact = ShardPlan.compute(25_000, spec(null, 10, null, null, null));
        assertThat(exact.shards()).isEqualTo(10);
        assertThat(exact.explicitShardsIgnored()).isFalse();
    }

    @Test
    void explicitShardsTooFewForTheGuildsAreIgnored() {
        ShardPlan plan = ShardPlan.compute(25_001, spec(null, 10, null, null, null));
        assertThat(plan.shards()).isEqualTo(13); // ceil(25001 / 2000)
        assertThat(plan.explicitShardsIgnored()).isTrue();
    }

    @Test
    void shardCountIsRoundedUpToTheMultiple() {
        assertThat(ShardPlan.compute(16_000, spec(null, null, null, 16, 16)).shards())
                .isEqualTo(16);
        assertThat(ShardPlan.compute(150_000, spec(null, null, null, 16, 16)).shards())
                .isEqualTo(80);
        assertThat(ShardPlan.compute(16_000, spec(null, 33, null, null, 16)).shards())
                .isEqualTo(48);
        assertThat(ShardPlan.compute(16_000, spec(null, null, null, null, 8)).shards())
                .isEqualTo(8);
    }

    @Test
    void podsGetContiguousRanges() {
        ShardPlan plan = ShardPlan.compute(20_000, spec(null, null, 4, null, null)); // 10 shards
        assertThat(plan.pods()).isEqualTo(3);
        assertThat(plan.rangeOf(0)).isEqualTo(new ShardPlan.ShardRange(0, 3));
        assertThat(plan.rangeOf(1)).isEqualTo(new ShardPlan.ShardRange(4, 7));
        assertThat(plan.rangeOf(2)).isEqualTo(new ShardPlan.ShardRange(8, 9));
        assertThat(plan.rangeOf(2).size()).isEqualTo(2);
        assertThat(plan.podOf(0)).isZero();
        assertThat(plan.podOf(7)).isEqualTo(1);
        assertThat(plan.podOf(9)).isEqualTo(2);
        assertThatThrownBy(() -> plan.rangeOf(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> plan.podOf(10)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void everyShardIsInExactlyOnePodRange() {
        for (int perPod = 1; perPod <= 9; perPod++) {
            ShardPlan plan = ShardPlan.compute(123_457, spec(null, null, perPod, null, null));
            int next = 0;
            for (int pod = 0; pod < plan.pods(); pod++) {
                ShardPlan.ShardRange range = plan.rangeOf(pod);
                assertThat(range.first()).isEqualTo(next);
                for (int s = range.first(); s <= range.last(); s++) {
                    assertThat(plan.podOf(s)).isEqualTo(pod);
                }
                next = range.last() + 1;
            }
            assertThat(next).isEqualTo(plan.shards());
        }
    }

    @Test
    void identifyBucketIsShardIdModuloMaxConcurrency() {
        ShardPlan plan = ShardPlan.compute(150_000, spec(null, null, null, 16, 16)); // 80 shards
        assertThat(plan.bucketOf(0)).isZero();
        assertThat(plan.bucketOf(15)).isEqualTo(15);
        assertThat(plan.bucketOf(16)).isZero();
        assertThat(plan.bucketOf(79)).isEqualTo(15);
        assertThat(plan.identifyBuckets()).isEqualTo(16);
        assertThat(plan.identifyWaves()).isEqualTo(5);
        assertThat(plan.minimumColdStartSeconds()).isEqualTo(25);
        ShardPlan small = ShardPlan.compute(1_000, spec(null, null, null, 16, null));
        assertThat(small.identifyBuckets()).isEqualTo(1);
    }

    @Test
    void labelIsIdSlashCount() {
        assertThat(ShardPlan.compute(16_000, null).label(3)).isEqualTo("3/8");
    }
}
