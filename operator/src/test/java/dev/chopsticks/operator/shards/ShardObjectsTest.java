package dev.chopsticks.operator.shards;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.api.v1alpha1.ShardSpec;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import dev.chopsticks.api.v1alpha1.ShardingSpec;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.plan.ShardGeneration;
import dev.chopsticks.operator.plan.ShardPlan;
import dev.chopsticks.operator.rollout.RolloutDecision;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardObjectsTest {

    @Test
    void oneShardPerIdWithLabelsAndSpec() {
        var c = cluster(16_000);
        var shards = ShardObjects.desired(c, ShardPlan.compute(16_000, null));
        assertThat(shards).hasSize(8);
        var list = new ArrayList<>(shards.values());
        Shard third = list.get(3);
        assertThat(third.getMetadata().getName()).isEqualTo("chopsticks-3");
        assertThat(third.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(third.getSpec()).isEqualTo(new ShardSpec(NAME, 3, 8, 1));
        assertThat(third.getMetadata().getLabels())
                .containsEntry(Labels.CLUSTER, NAME)
                .containsEntry(Labels.SHARD_ID, "3")
                .containsEntry(Labels.SHARD_COUNT, "8")
                .containsEntry(Labels.GENERATION, "1")
                .containsEntry(Labels.MANAGED_BY, "chopsticks-operator")
                .containsEntry(Labels.COMPONENT, "shard");
        assertThat(third.getStatus()).isNull();
    }

    @Test
    void matchChecksOurLabelsSpecAndOwner() {
        var c = cluster(16_000);
        Shard desired = ShardObjects.desired(c, ShardPlan.compute(16_000, null), 2);
        Shard actual = ShardObjects.desired(c, ShardPlan.compute(16_000, null), 2);
        assertThat(ShardObjects.matches(actual, desired, c)).isFalse(); // no owner reference yet
        actual.getMetadata()
                .setOwnerReferences(new ArrayList<>(List.of(new OwnerReferenceBuilder()
                        .withUid(c.getMetadata().getUid())
                        .withController(true)
                        .withKind("ChopsticksCluster")
                        .withName(NAME)
                        .withApiVersion("chopsticks.dev/v1alpha1")
                        .build())));
        assertThat(ShardObjects.matches(actual, desired, c)).isTrue();
        actual.getMetadata().getLabels().put("someone-else", "x");
        assertThat(ShardObjects.matches(actual, desired, c)).isTrue();
        actual.getMetadata().getLabels().put(Labels.SHARD_COUNT, "12");
        assertThat(ShardObjects.matches(actual, desired, c)).isFalse();
        actual.getMetadata().getLabels().put(Labels.SHARD_COUNT, "8");
        actual.setSpec(new ShardSpec(NAME, 2, 12));
        assertThat(ShardObjects.matches(actual, desired, c)).isFalse();
    }

    @Test
    void podSideOfTheStatus() {
        var c = cluster(withSharding(spec(20_000), new ShardingSpec(null, null, 4, null, null)));
        var plan = ShardPlan.compute(20_000, c.getSpec().sharding());
        Shard shard = ShardObjects.desired(c, plan, 9);
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName("chopsticks-shards-2")
                .endMetadata()
                .withNewStatus()
                .withContainerStatuses(new ContainerStatusBuilder()
                        .withName("bot")
                        .withRestartCount(3)
                        .build())
                .endStatus()
                .build();
        assertThat(ShardStatusSync.desired(c, plan, shard, Map.of("chopsticks-shards-2", pod)))
                .isEqualTo(new ShardStatusSync.PodSide("9/10", "chopsticks-shards-2", 3));
        assertThat(ShardStatusSync.desired(c, plan, shard, Map.of()))
                .isEqualTo(new ShardStatusSync.PodSide("9/10", "chopsticks-shards-2", 0));
    }

    /** While respawns are refused the Shard reads Failed with the reason; a Failed the bot wrote is the bot's. */
    @Test
    void aRefusedRespawnMarksTheShardFailedWithTheReason() {
        var c = cluster(spec(16_000));
        var plan = ShardPlan.compute(16_000, c.getSpec().sharding());
        Shard shard = ShardObjects.desired(c, plan, 3);
        var refused = new RolloutDecision.RefusedRespawn(
                "chopsticks-3",
                RolloutDecision.Refusal.RESTART_CAP_REACHED,
                "respawned 2 times in the last " + "hour (rollout.maxRestartsPerHour 2): marked Failed");
        var side = ShardStatusSync.desired(
                c, new ShardGeneration(1, plan), shard, Map.of(), refused, Instant.parse("2026-11-29T10:00:00Z"));
        assertThat(side.phase()).isEqualTo(ShardPhase.Failed);
        assertThat(side.message()).isEqualTo(ShardStatusSync.FAILED_PREFIX + refused.message());
        assertThat(side.conditions())
                .singleElement()
                .satisfies(cond -> assertThat(cond.reason()).isEqualTo("RestartCapReached"));

        // read back: the operator's own Failed is recognised (no rewrite); the bot's Failed is not the operator's to
        // keep
        var written = side.toStatus();
        assertThat(ShardStatusSync.PodSide.of(written)).isEqualTo(side);
        var botFailed = new ShardStatus(
                "3/8",
                ShardPhase.Failed,
                null,
                null,
                "chopsticks-shards-3",
                0,
                null,
                null,
                "identify budget below the reserve",
                null);
        assertThat(ShardStatusSync.PodSide.of(botFailed).phase()).isNull();
        // refusal lifted: the operator's phase and message go (the bot reports its own again)
        var lifted = ShardStatusSync.desired(
                c, new ShardGeneration(1, plan), shard, Map.of(), null, Instant.parse("2026-11-29T10:05:00Z"));
        assertThat(lifted.phase()).isNull();
        assertThat(lifted.message()).isNull();
    }
}
