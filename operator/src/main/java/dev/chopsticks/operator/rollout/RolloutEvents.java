package dev.chopsticks.operator.rollout;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.RolloutStatus;
import dev.chopsticks.operator.common.Annotations;
import dev.chopsticks.operator.events.EventReason;
import dev.chopsticks.operator.events.EventRecorder;
import dev.chopsticks.operator.rollout.RolloutDecision.Progress;
import dev.chopsticks.operator.rollout.RolloutDecision.Refusal;
import dev.chopsticks.operator.rollout.RolloutDecision.RefusedRespawn;
import dev.chopsticks.operator.rollout.RolloutDecision.State;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Events about the rollout as a whole, for what changed since the last status: a rollout started (new target
 * revision with outdated pods) or completed, a halt, refused respawns (one warning per refusal naming the shards),
 * and an invalid {@code restart-at} annotation.
 */
public final class RolloutEvents {
    static final String ANNOUNCED_ROLLOUT = "rollout/announced";

    private final EventRecorder events;

    /** The rollout state last announced: target revision, and whether it was in progress. */
    record Announced(String target, boolean running) {}

    public RolloutEvents(EventRecorder events) {
        this.events = events;
    }

    /** Records the Events; returns the warnings that still hold after this decision. */
    public Set<EventReason> announce(ChopsticksCluster cluster, RolloutDecision decision) {
        RolloutStatus previous =
                cluster.getStatus() == null ? null : cluster.getStatus().rollout();
        Progress p = decision.progress();
        // what the status says was announced (survives restarts), overridden by what this operator announced itself
        // (covers the moment before its own status write reaches the informer cache)
        boolean statusRunning = previous != null
                && previous.currentStep() != null
                && !previous.currentStep().startsWith("complete");
        Announced fromStatus = previous == null ? null : new Announced(previous.targetRevision(), statusRunning);
        Announced last =
                events.recall(cluster, ANNOUNCED_ROLLOUT, Announced.class).orElse(fromStatus);
        boolean wasRunning = last != null && last.running();
        boolean sameTarget = last != null && Objects.equals(last.target(), p.targetRevision());
        boolean running = p.state() != State.COMPLETE;
        if (running && (!wasRunning || !sameTarget)) {
            events.normal(
                    cluster,
                    EventReason.ROLLOUT_STARTED,
                    "rolling restart to revision " + p.targetRevision() + ": "
                            + (p.totalShards() - p.updatedShards()) + " of " + p.totalShards() + " shards, "
                            + p.totalSteps()
                            + (Boolean.TRUE.equals(cluster.getSpec().rollout().sessionHandOff())
                                    ? " hand-off steps (sessions resumed, no identify)"
                                    : " identify steps")
                            + " for the whole generation");
        }
        if (!running && wasRunning && sameTarget) {
            events.normal(
                    cluster,
                    EventReason.ROLLOUT_COMPLETED,
                    "all " + p.totalShards() + " shards run revision " + p.targetRevision());
        }
        events.remember(cluster, ANNOUNCED_ROLLOUT, new Announced(p.targetRevision(), running));
        Set<EventReason> active = EnumSet.noneOf(EventReason.class);
        if (p.halted()) {
            events.warning(
                    cluster,
                    EventReason.ROLLOUT_HALTED,
                    "rolling restart to revision " + p.targetRevision() + " halted: " + p.detail());
            active.add(EventReason.ROLLOUT_HALTED);
        }
        for (Refusal refusal : Refusal.values()) {
            List<RefusedRespawn> of = decision.refusedRespawns().stream()
                    .filter(x -> x.refusal() == refusal)
                    .toList();
            if (!of.isEmpty()) {
                events.warning(cluster, reasonOf(refusal), refusalMessage(of));
                active.add(reasonOf(refusal));
            }
        }
        return active;
    }

    /** A {@code chopsticks.dev/restart-at} that is not a time is ignored, with a warning; returns it if it holds. */
    public Set<EventReason> checkRestartAt(ChopsticksCluster cluster) {
        Optional<String> raw = ControlAnnotations.invalidRestartAt(cluster);
        if (raw.isEmpty()) {
            return Set.of();
        }
        events.warning(
                cluster,
                EventReason.RESTART_AT_INVALID,
                "annotation " + Annotations.RESTART_AT + " is not an RFC 3339 time (e.g. 2025-06-01T12:00:00Z): '"
                        + raw.get() + "'; ignored");
        return Set.of(EventReason.RESTART_AT_INVALID);
    }

    /** The warning's and the Degraded condition's message for refusals of one kind. */
    public static String refusalMessage(List<RefusedRespawn> of) {
        return "not respawned: " + of.stream().map(RefusedRespawn::shard).collect(Collectors.joining(", ")) + " ("
                + of.get(0).message() + ")";
    }

    public static EventReason reasonOf(Refusal refusal) {
        return switch (refusal) {
            case RESTART_CAP_REACHED -> EventReason.RESTART_CAP_REACHED;
            case IDENTIFY_BUDGET_LOW -> EventReason.IDENTIFY_BUDGET_LOW;
        };
    }
}
