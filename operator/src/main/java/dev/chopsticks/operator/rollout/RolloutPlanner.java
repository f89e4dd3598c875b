package dev.chopsticks.operator.rollout;

import dev.chopsticks.operator.rollout.RolloutDecision.PodRestart;
import dev.chopsticks.operator.rollout.RolloutDecision.Progress;
import dev.chopsticks.operator.rollout.RolloutDecision.Refusal;
import dev.chopsticks.operator.rollout.RolloutDecision.RefusedRespawn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every restart decision of the operator, pure: which shard pods to delete now, from the observed state alone
 * (pods' template hashes and creation times, Shard statuses, the operator's restart records on the Shards). The
 * executor ({@link RolloutExecutor}) only carries the decision out; because nothing is remembered between two
 * reconciles, a new operator (failover, restart) continues exactly where the old one stopped.
 *
 * <p><b>Respawns</b> (also while {@code rollout.paused}): see {@link RespawnRules}. A respawn is refused, and the
 * shard marked {@code Respawn=False}, when it would exceed {@code maxRestartsPerHour} or the identify budget.
 *
 * <p><b>Rolling restart</b> of the rolling generations (the active one, or during a reshard the new one): see
 * {@link RollingRestart}.
 */
public final class RolloutPlanner {
    /** Shortest recheck delay: the API server and informers need a moment anyway. */
    static final Duration MIN_RECHECK = Duration.ofMillis(250);
    /** Recheck while waiting for the identify budget (the bots report it on their next session). */
    static final Duration BUDGET_RECHECK = Duration.ofMinutes(1);

    private RolloutPlanner() {}

    public static RolloutDecision plan(RolloutInput in) {
        List<Instant> wakeups = new ArrayList<>();
        List<PodRestart> restarts = new ArrayList<>();
        List<RefusedRespawn> refused = new ArrayList<>();
        IdentifyBudget budget = new IdentifyBudget(
                in.settings().identifyRemaining(), in.settings().identifyReserve());

        respawns(in, budget, restarts, refused, wakeups);
        Progress progress = RollingRestart.plan(in, budget, restarts, wakeups);

        Optional<Duration> recheck = wakeups.stream()
                .filter(t -> !t.equals(Instant.MAX))
                .min(Comparator.naturalOrder())
                .map(t -> Duration.between(in.now(), t))
                .map(d -> d.compareTo(MIN_RECHECK) < 0 ? MIN_RECHECK : d);
        return new RolloutDecision(restarts, refused, progress, recheck);
    }

    // ---- respawns ----

    private static void respawns(
            RolloutInput in,
            IdentifyBudget budget,
            List<PodRestart> restarts,
            List<RefusedRespawn> refused,
            List<Instant> wakeups) {
        RolloutSettings s = in.settings();
        for (GenerationState gen : in.generations()) {
            for (PodState pod : gen.podsInOrder()) {
                List<ShardState> shards = gen.shardsOf(pod.ordinal());
                var diagnosis = RespawnRules.diagnose(pod, shards, s, in.now(), in.observingSince(), wakeups);
                if (diagnosis.isEmpty()) {
                    continue;
                }
                String detail = diagnosis.get().detail();
                Optional<Instant> cap = RespawnRules.capUntil(shards, s, in.now());
                if (cap.isPresent()) {
                    wakeups.add(cap.get());
                    String until = cap.get().equals(Instant.MAX)
                            ? "never (maxRestartsPerHour is 0)"
                            : "at " + RespawnRules.stamp(cap.get());
                    refuse(
                            refused,
                            shards,
                            Refusal.RESTART_CAP_REACHED,
                            detail + "; respawned "
                                    + RespawnRules.respawnsWithinHour(shards, in.now())
                                    + " times in the last hour (rollout.maxRestartsPerHour "
                                    + s.maxRestartsPerHour()
                                    + "): marked Failed instead of spending identifies; respawns resume " + until
                                    + ", or delete the pod to retry now");
                    continue;
                }
                if (!budget.take(shards.size())) {
                    wakeups.add(in.now().plus(BUDGET_RECHECK));
                    refuse(
                            refused,
                            shards,
                            Refusal.IDENTIFY_BUDGET_LOW,
                            detail + "; not respawned: identify budget low (" + budget.describe() + ")");
                    continue;
                }
                restarts.add(restart(gen, pod, shards, diagnosis.get().reason(), detail));
            }
        }
    }

    private static void refuse(List<RefusedRespawn> refused, List<ShardState> shards, Refusal refusal, String message) {
        for (ShardState shard : shards) {
            if (shard.name() != null) {
                refused.add(new RefusedRespawn(shard.name(), refusal, message));
            }
        }
    }

    static PodRestart restart(
            GenerationState gen, PodState pod, List<ShardState> shards, RestartReason reason, String detail) {
        return new PodRestart(
                gen.generation(),
                pod,
                shards.stream().map(ShardState::name).filter(Objects::nonNull).toList(),
                shards.stream().map(ShardState::id).toList(),
                reason,
                detail);
    }
}
