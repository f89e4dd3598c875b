package dev.chopsticks.operator.status;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.api.v1alpha1.ChopsticksClusterStatus;
import dev.chopsticks.api.v1alpha1.ClusterPhase;
import dev.chopsticks.api.v1alpha1.StatusCondition;
import dev.chopsticks.operator.plan.ShardPlan;
import dev.chopsticks.operator.validation.Problem;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusRecorderTest {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant T1 = Instant.parse("2025-01-01T00:05:00Z");

    static Observed observed(int ready, Observed.Migration migration, boolean deployed, Problem problem) {
        return new Observed(
                Optional.of(ShardPlan.compute(16_000, null)),
                Optional.ofNullable(problem),
                migration,
                "chopsticks-migrate-abc",
                migration == Observed.Migration.FAILED ? "BackoffLimitExceeded: too many" : null,
                deployed,
                ready,
                ready * 2000L);
    }

    static StatusCondition cond(ChopsticksClusterStatus s, String type) {
        return StatusRecorder.condition(s, type).orElseThrow();
    }

    @Test
    void allShardsReady() {
        var c = cluster(16_000);
        var s = StatusRecorder.compute(c, observed(8, Observed.Migration.SUCCEEDED, true, null), T0);
        assertThat(s.phase()).isEqualTo(ClusterPhase.Ready);
        assertThat(s.observedGeneration()).isEqualTo(1L);
        assertThat(s.shards()).isEqualTo(8);
        assertThat(s.readyShards()).isEqualTo(8);
        assertThat(s.guilds()).isEqualTo(16_000L);
        assertThat(cond(s, "Ready").status()).isEqualTo("True");
        assertThat(cond(s, "Ready").reason()).isEqualTo("AllShardsReady");
        assertThat(cond(s, "Progressing").status()).isEqualTo("False");
        assertThat(cond(s, "Degraded").status()).isEqualTo("False");
    }

    @Test
    void pendingWhileFirstMigrationRuns() {
        var s = StatusRecorder.compute(cluster(16_000), observed(0, Observed.Migration.RUNNING, false, null), T0);
        assertThat(s.phase()).isEqualTo(ClusterPhase.Pending);
        assertThat(cond(s, "Progressing").reason()).isEqualTo("MigrationRunning");
        assertThat(cond(s, "Ready").status()).isEqualTo("False");
    }

    @Test
    void progressingWhileShardsStart() {
        var s = StatusRecorder.compute(cluster(16_000), observed(3, Observed.Migration.SUCCEEDED, true, null), T0);
        assertThat(s.phase()).isEqualTo(ClusterPhase.Progressing);
        assertThat(cond(s, "Progressing").reason()).isEqualTo("ShardsStarting");
        assertThat(cond(s, "Progressing").message()).isEqualTo("3/8 shards ready");
    }

    @Test
    void degradedByProblemOrFailedMigration() {
        var s = StatusRecorder.compute(
                cluster(16_000),
                observed(8, Observed.Migration.SUCCEEDED, true, new Problem("SecretMissing", "Secret 'x' not found")),
                T0);
        assertThat(s.phase()).isEqualTo(ClusterPhase.Degraded);
        assertThat(cond(s, "Degraded").reason()).isEqualTo("SecretMissing");
        assertThat(cond(s, "Degraded").message()).isEqualTo("Secret 'x' not found");
        var f = StatusRecorder.compute(cluster(16_000), observed(8, Observed.Migration.FAILED, true, null), T0);
        assertThat(f.phase()).isEqualTo(ClusterPhase.Degraded);
        assertThat(cond(f, "Degraded").reason()).isEqualTo("MigrationFailed");
        assertThat(cond(f, "Degraded").message()).contains("chopsticks-migrate-abc", "BackoffLimitExceeded");
    }

    @Test
    void unchangedClusterNeedsNoWriteAndKeepsTransitionTimes() {
        var c = cluster(16_000);
        var first = StatusRecorder.compute(c, observed(3, Observed.Migration.SUCCEEDED, true, null), T0);
        assertThat(StatusRecorder.patchFor(c, first)).isPresent();
        c.setStatus(first);
        var second = StatusRecorder.compute(c, observed(3, Observed.Migration.SUCCEEDED, true, null), T1);
        assertThat(second).isEqualTo(first);
        assertThat(StatusRecorder.patchFor(c, second)).isEmpty();
        var third = StatusRecorder.compute(c, observed(8, Observed.Migration.SUCCEEDED, true, null), T1);
        assertThat(cond(third, "Ready").lastTransitionTime()).isEqualTo("2025-01-01T00:05:00Z");
        assertThat(cond(third, "Degraded").lastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
        var patch = StatusRecorder.patchFor(c, third).orElseThrow();
        assertThat(patch.getSpec()).as("the operator never writes the spec").isNull();
        assertThat(patch.getMetadata().getName()).isEqualTo(NAME);
    }

    @Test
    void aRefusedClusterClaimsNoProgressOnAJobThatWasNeverCreated() {
        // validation refused the cluster (here: its name), so no migration Job exists and none will
        var s = StatusRecorder.compute(
                cluster(16_000),
                observed(
                        0,
                        Observed.Migration.NOT_STARTED,
                        false,
                        new Problem("InvalidName", "metadata.name is longer than 40 characters")),
                T0);
        assertThat(s.phase()).isEqualTo(ClusterPhase.Degraded);
        assertThat(cond(s, "Progressing").status()).isEqualTo("False");
        assertThat(cond(s, "Progressing").reason()).isEqualTo("Blocked");
        assertThat(cond(s, "Progressing").message()).doesNotContain("migration").contains("InvalidName");
        assertThat(cond(s, "Degraded").reason()).isEqualTo("InvalidName");
    }

    @Test
    void aMigrationJobThatExistsIsStillAwaitedWhileSomethingElseFails() {
        var s = StatusRecorder.compute(
                cluster(16_000),
                observed(0, Observed.Migration.RUNNING, false, new Problem("ReconcileError", "could not apply X")),
                T0);
        assertThat(cond(s, "Progressing").reason()).isEqualTo("MigrationRunning");
        assertThat(cond(s, "Degraded").reason()).isEqualTo("ReconcileError");
    }

    @Test
    void refusedRespawnsMakeTheClusterDegradedWithTheReason() {
        Observed o = observed(8, Observed.Migration.SUCCEEDED, true, null);
        Observed refused = new Observed(
                o.plan(),
                o.problem(),
                o.migration(),
                o.migrationJob(),
                o.migrationFailure(),
                o.shardsDeployed(),
                7,
                o.guilds(),
                null,
                null,
                null,
                null,
                Optional.of(new Problem(
                        "RestartCapReached",
                        "not respawned: chopsticks-shard-3 (10 respawns in the last hour, maxRestartsPerHour 10)")));
        var s = StatusRecorder.compute(cluster(16_000), refused, T0);
        assertThat(s.phase()).isEqualTo(ClusterPhase.Degraded);
        assertThat(cond(s, "Degraded").status()).isEqualTo("True");
        assertThat(cond(s, "Degraded").reason()).isEqualTo("RestartCapReached");
        assertThat(cond(s, "Degraded").message()).contains("chopsticks-shard-3", "maxRestartsPerHour");
        // the rest of the cluster is not blocked by it
        assertThat(cond(s, "Progressing").reason()).isEqualTo("ShardsStarting");
    }
}
