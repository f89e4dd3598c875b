package dev.chopsticks.operator.rollout;

import dev.chopsticks.operator.rollout.RolloutDecision.PodRestart;
import dev.chopsticks.operator.rollout.RolloutDecision.Progress;
import dev.chopsticks.operator.rollout.RolloutDecision.Refusal;
import dev.chopsticks.operator.rollout.RolloutDecision.RefusedRespawn;
import dev.chopsticks.operator.rollout.RolloutDecision.State;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every restart decision of the operator, pure: which shard pods to delete now, from the observed state alone
 * (pods' template hashes and creation times, Shard statuses, the operator's restart records on the Shards). The
 * executor ({@link RolloutExecutor}) only carries the decision out; because nothing is remembered between two
 * reconciles, a new operator (failover, restart) continues exactly where the old one stopped.
 *
 * <p><b>Respawns</b> (also while {@code rollout.paused}): see {@link RespawnRules}. A respawn is refused, and the
 * shard marked {@code Respawn=False}, when it would exceed {@code maxRestartsPerHour} or the identify budget.
 *
 * <p><b>Rolling restart</b> of the rolling generations (the active one, or during a reshard the new one):
 * <ol>
 *   <li>A pod is <i>outdated</i> when its pod-template hash differs from its StatefulSet's, or it was created before
 *       a passed {@code chopsticks.dev/restart-at} (compared at second precision). Only outdated pods are ever
 *       deleted by the rollout: a pod on the target revision never is, so no pod restarts twice.
 *   <li>A pod on the target revision is <i>settled</i> when each of its shards reports Ready in a session started
 *       since the pod was created; otherwise it is <i>in flight</i> (as is a missing or terminating pod).
 *   <li><b>Halt</b>: an in-flight pod with a shard that has not started a session within {@code readyTimeout}
 *       (plus 5 s per extra identify window its own shards need) of the pod's rollout restart (the record on its
 *       Shards, else the pod's creation) halts the rollout while outdated pods remain. A new pod template makes it
 *       outdated, which lifts the halt: fixing the image resumes, starting with the pods that do not serve.
 *   <li>No step while paused, halted, or anything is in flight (the previous step's shards must report Ready).
 *   <li>The next step starts {@code respawnDelay} after the latest identify (session start) of any shard, less the
 *       shortest time from a rollout delete to the replacement's identify in the latest step: the new pods are
 *       started so that they identify when the window opens, not a pod start later (the bots' identify queue still
 *       enforces Discord's limit).
 *   <li>A step is the first identify step ({@link IdentifySteps}) of the outdated pods, not-serving pods first, then
 *       by generation and ordinal: as many pods as hold shards of distinct buckets.
 *   <li>A step is skipped while the identify budget (when reported) would drop below the reserve.
 * </ol>
 */
public final class RolloutPlanner {
    /** Restarts recorded within this long of the latest one belong to the same step. */
    private static final Duration STEP_SPREAD = Duration.ofSeconds(1);
    /** Shortest recheck delay: the API server and informers need a moment anyway. */
    static final Duration MIN_RECHECK = Duration.ofMillis(250);
    /** Recheck while waiting for the identify budget (the bots report it on their next session). */
    static final Duration BUDGET_RECHECK = Duration.ofMinutes(1);
    /** Discord's identify window per bucket. */
    static final Duration IDENTIFY_WINDOW = Duration.ofSeconds(5);

    private RolloutPlanner() {}

    public static RolloutDecision plan(RolloutInput in) {
        List<Instant> wakeups = new ArrayList<>();
        List<PodRestart> restarts = new ArrayList<>();
        List<RefusedRespawn> refused = new ArrayList<>();
        IdentifyBudget budget = new IdentifyBudget(
                in.settings().identifyRemaining(), in.settings().identifyReserve());

        respawns(in, budget, restarts, refused, wakeups);
        Progress progress = rolling(in, budget, restarts, wakeups);

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
                var diagnosis = RespawnRules.diagnose(pod, shards, s, in.now(), wakeups);
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

    private static PodRestart restart(
            GenerationState gen, PodState pod, List<ShardState> shards, RestartReason reason, String detail) {
        return new PodRestart(
                gen.generation(),
                pod,
                shards.stream().map(ShardState::name).filter(Objects::nonNull).toList(),
                shards.stream().map(ShardState::id).toList(),
                reason,
                detail);
    }

    // ---- rolling restart ----

    /** One pod slot of a rolling generation, classified. */
    private record Slot(
            GenerationState gen, int ordinal, PodState pod, List<ShardState> shards, Kind kind, boolean serving) {
        List<Integer> shardIds() {
            return gen.shardIdsOf(ordinal);
        }

        String describe() {
            List<Integer> ids = shardIds();
            String range =
                    ids.size() == 1 ? "shard " + ids.get(0) : "shards " + ids.get(0) + "-" + ids.get(ids.size() - 1);
            return (pod == null ? gen.statefulSet() + "-" + ordinal : pod.name()) + " (" + range + ")";
        }
    }

    private enum Kind {
        OUTDATED,
        SETTLED,
        IN_FLIGHT
    }

    private static Progress rolling(
            RolloutInput in, IdentifyBudget budget, List<PodRestart> restarts, List<Instant> wakeups) {
        RolloutSettings s = in.settings();
        Instant now = in.now();
        Optional<Instant> restartAt = s.restartAt().map(t -> t.truncatedTo(ChronoUnit.SECONDS));
        boolean restartDue = restartAt.isPresent() && !now.isBefore(restartAt.get());
        if (restartAt.isPresent() && !restartDue) {
            wakeups.add(restartAt.get());
        }
        Set<String> respawning = restarts.stream().map(r -> r.pod().name()).collect(Collectors.toSet());

        List<GenerationState> gens = in.generations().stream()
                .filter(g -> in.rolling().contains(g.generation()) && g.targetHash() != null)
                .sorted(Comparator.comparingInt(GenerationState::generation))
                .toList();
        String target = gens.isEmpty() ? null : gens.get(gens.size() - 1).targetHash();

        List<Slot> slots = new ArrayList<>();
        int updated = 0;
        int total = 0;
        for (GenerationState gen : gens) {
            for (int ordinal = 0; ordinal < gen.podCount(); ordinal++) {
                PodState pod = gen.pods().get(ordinal);
                List<ShardState> shards = gen.shardsOf(ordinal);
                total += shards.size();
                boolean outdated = pod != null
                        && (!Objects.equals(pod.templateHash(), gen.targetHash())
                                || (restartDue && pod.createdAt().isBefore(restartAt.get())));
                if (pod != null && !outdated) {
                    updated += shards.size();
                }
                boolean serving =
                        pod != null && !pod.isDead() && shards.stream().allMatch(sh -> sh.readyOn(pod));
                Kind kind;
                if (pod == null || pod.terminating() || respawning.contains(pod.name())) {
                    kind = Kind.IN_FLIGHT;
                } else if (outdated) {
                    kind = Kind.OUTDATED;
                } else {
                    kind = serving ? Kind.SETTLED : Kind.IN_FLIGHT;
                }
                slots.add(new Slot(gen, ordinal, pod, shards, kind, serving));
            }
        }
        if (gens.isEmpty()) {
            return new Progress(null, 0, 0, 0, 0, State.COMPLETE, "no shard StatefulSet yet");
        }

        List<Slot> outdated = slots.stream()
                .filter(x -> x.kind() == Kind.OUTDATED)
                .sorted(Comparator.comparing((Slot x) -> x.serving())
                        .thenComparingInt(x -> x.gen().generation())
                        .thenComparingInt(Slot::ordinal))
                .toList();
        List<Slot> inFlight =
                slots.stream().filter(x -> x.kind() == Kind.IN_FLIGHT).toList();
        int mc = s.maxConcurrency();
        int totalSteps = IdentifySteps.pack(slots, Slot::shardIds, mc).size();
        int done = totalSteps - IdentifySteps.pack(outdated, Slot::shardIds, mc).size();

        // complete once no pod of an older revision is left (terminating and respawning ones included) and the pods the
        // rollout restarted have all had their shards start a session since
        List<Slot> awaited =
                inFlight.stream().filter(x -> restartedWithoutSession(x)).toList();
        if (updated == total - missingShards(slots, now.minus(s.readyTimeout())) && awaited.isEmpty()) {
            return new Progress(target, updated, total, totalSteps, totalSteps, State.COMPLETE, "");
        }
        String remaining = outdated.size() + " pods ("
                + outdated.stream().mapToInt(x -> x.shards().size()).sum() + " shards) on older revisions";

        List<Slot> stuck = stuck(inFlight, s, now, wakeups);
        if (!stuck.isEmpty()) {
            Slot first = stuck.get(0);
            return new Progress(
                    target,
                    updated,
                    total,
                    done,
                    totalSteps,
                    State.HALTED,
                    first.describe()
                            + " not Ready within readyTimeout " + human(s.readyTimeout()) + " of its restart"
                            + (stuck.size() > 1 ? " (and " + (stuck.size() - 1) + " more)" : "") + "; "
                            + (outdated.isEmpty()
                                    ? "the rollout completes once it is Ready"
                                    : remaining + " stay as they are until it is Ready or the pod template changes"));
        }
        if (s.paused() && !outdated.isEmpty()) {
            return new Progress(target, updated, total, done, totalSteps, State.PAUSED, remaining);
        }
        if (!inFlight.isEmpty() || outdated.isEmpty()) {
            return new Progress(
                    target,
                    updated,
                    total,
                    Math.max(done, 1),
                    totalSteps,
                    State.WAITING_FOR_READY,
                    "waiting for "
                            + inFlight.stream().limit(4).map(Slot::describe).collect(Collectors.joining(", "))
                            + (inFlight.size() > 4 ? " and " + (inFlight.size() - 4) + " more" : "")
                            + " to report Ready");
        }
        Optional<Instant> window = nextWindow(in, gens);
        if (window.isPresent() && now.isBefore(window.get())) {
            wakeups.add(window.get());
            return new Progress(
                    target,
                    updated,
                    total,
                    done + 1,
                    totalSteps,
                    State.WAITING_FOR_IDENTIFY_WINDOW,
                    "waiting for the identify window (respawnDelay " + human(s.respawnDelay())
                            + " after the last identify)");
        }
        List<Slot> step = IdentifySteps.first(outdated, Slot::shardIds, mc);
        int identifies = step.stream().mapToInt(x -> x.shards().size()).sum();
        if (!budget.take(identifies)) {
            wakeups.add(now.plus(BUDGET_RECHECK));
            return new Progress(
                    target,
                    updated,
                    total,
                    done + 1,
                    totalSteps,
                    State.WAITING_FOR_IDENTIFY_BUDGET,
                    "waiting for the identify budget (" + budget.describe() + "); " + remaining);
        }
        for (Slot x : step) {
            boolean templateChanged =
                    !Objects.equals(x.pod().templateHash(), x.gen().targetHash());
            restarts.add(restart(
                    x.gen(),
                    x.pod(),
                    x.shards(),
                    templateChanged ? RestartReason.ROLLOUT : RestartReason.MANUAL_RESTART,
                    templateChanged
                            ? "revision " + x.pod().templateHash() + " -> "
                                    + x.gen().targetHash()
                            : "created before chopsticks.dev/restart-at "
                                    + RespawnRules.stamp(restartAt.orElseThrow())));
        }
        List<Slot> rest = new ArrayList<>(outdated);
        rest.removeAll(step);
        int stepNumber =
                totalSteps - IdentifySteps.pack(rest, Slot::shardIds, mc).size();
        return new Progress(
                target,
                updated,
                total,
                stepNumber,
                totalSteps,
                State.RESTARTING,
                "restarting " + step.stream().map(Slot::describe).collect(Collectors.joining(", ")));
    }

    /** A pod the rollout restarted (its Shards' record) with a shard that has not started a session since. */
    private static boolean restartedWithoutSession(Slot x) {
        return x.shards().stream().anyMatch(sh -> sh.restartedAt() != null && !sh.sessionSince(sh.restartedAt()));
    }

    /** Shards of pods that do not exist and were not deleted by a rollout step since {@code since}. */
    private static int missingShards(List<Slot> slots, Instant since) {
        return slots.stream()
                .filter(x -> x.pod() == null
                        && x.shards().stream()
                                .noneMatch(sh -> sh.restartedAt() != null
                                        && sh.restartedAt().isAfter(since)))
                .mapToInt(x -> x.shards().size())
                .sum();
    }

    /**
     * In-flight pods that have not had every shard start a session within readyTimeout of their restart (the
     * rollout's record on the Shards, else the pod's creation). Adds their deadlines to {@code wakeups}.
     */
    private static List<Slot> stuck(List<Slot> inFlight, RolloutSettings s, Instant now, List<Instant> wakeups) {
        List<Slot> stuck = new ArrayList<>();
        for (Slot x : inFlight) {
            Instant since = x.shards().stream()
                    .map(ShardState::restartedAt)
                    .filter(Objects::nonNull)
                    .max(Comparator.naturalOrder())
                    .orElse(x.pod() == null ? null : x.pod().createdAt());
            if (since == null || x.shards().stream().allMatch(sh -> sh.sessionSince(since))) {
                continue;
            }
            int windows = IdentifySteps.windowsOf(x.shardIds(), s.maxConcurrency());
            Instant deadline =
                    since.plus(s.readyTimeout()).plus(IDENTIFY_WINDOW.multipliedBy(Math.max(0, windows - 1)));
            if (now.isBefore(deadline)) {
                wakeups.add(deadline);
            } else {
                stuck.add(x);
            }
        }
        return stuck;
    }

    /**
     * When the next step may start: respawnDelay after the latest session start of any shard, brought forward by the
     * shortest time from a rollout delete to the replacement's identify in the latest step (so the replacements
     * identify when the window opens). The latest step, not the fastest ever seen: pod start grows with how many pods
     * start at once and with the node's load, and a lead measured in a quiet one-pod step would hold every step of a
     * busier rollout back by the difference. Empty when no shard has identified yet.
     */
    static Optional<Instant> nextWindow(RolloutInput in, List<GenerationState> rolling) {
        Optional<Instant> last = in.generations().stream()
                .flatMap(g -> g.shards().values().stream())
                .map(ShardState::sessionStartedAt)
                .filter(Objects::nonNull)
                .max(Comparator.naturalOrder());
        if (last.isEmpty()) {
            return Optional.empty();
        }
        Duration delay = in.settings().respawnDelay();
        Instant recent = in.now().minus(Duration.ofHours(1));
        List<ShardState> restarted = rolling.stream()
                .flatMap(g -> g.shards().values().stream())
                .filter(sh -> sh.restartedAt() != null && sh.restartedAt().isAfter(recent))
                .toList();
        Duration lead = restarted.stream()
                .map(ShardState::restartedAt)
                .max(Comparator.naturalOrder())
                .map(latest -> latest.minus(STEP_SPREAD))
                .flatMap(stepStart -> restarted.stream()
                        .filter(sh -> !sh.restartedAt().isBefore(stepStart) && sh.sessionSince(sh.restartedAt()))
                        .map(sh -> Duration.between(sh.restartedAt(), sh.sessionStartedAt()))
                        .min(Comparator.naturalOrder()))
                .orElse(Duration.ZERO);
        if (lead.compareTo(delay) > 0) {
            lead = delay;
        }
        return Optional.of(last.get().plus(delay).minus(lead));
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms % 60_000 == 0) {
            return (ms / 60_000) + "m";
        }
        return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
    }
}
