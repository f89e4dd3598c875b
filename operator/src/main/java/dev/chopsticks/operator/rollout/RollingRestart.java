package dev.chopsticks.operator.rollout;

import dev.chopsticks.operator.rollout.RolloutDecision.PodRestart;
import dev.chopsticks.operator.rollout.RolloutDecision.Progress;
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
 * The rolling-restart part of {@link RolloutPlanner}, pure, for the rolling generations (the active one, or during a
 * reshard the new one):
 *
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
 *       by generation and ordinal: as many pods as hold shards of distinct buckets. With {@code sessionHandOff} the
 *       restarted shards resume instead: a step is the next quarter of the pods and no identify window is waited
 *       for (a refused RESUME identifies through the bots' queue, which keeps Discord's limit).
 *   <li>A step is skipped while the identify budget (when reported) would drop below the reserve.
 * </ol>
 */
final class RollingRestart {
    /** Restarts recorded within this long of the latest one belong to the same step. */
    private static final Duration STEP_SPREAD = Duration.ofSeconds(1);
    /** Discord's identify window per bucket. */
    static final Duration IDENTIFY_WINDOW = Duration.ofSeconds(5);
    /** With session hand-off a step restarts up to 1/4 of the pods (a Deployment's default maxUnavailable). */
    static final int HAND_OFF_SHARE = 4;

    private RollingRestart() {}

    /** One pod slot of a rolling generation, classified; {@code outdated} also while the pod is on its way out. */
    private record Slot(
            GenerationState gen,
            int ordinal,
            PodState pod,
            List<ShardState> shards,
            Kind kind,
            boolean outdated,
            boolean serving) {
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

    /**
     * The rolling generations' pods, classified, with what every progress report states.
     *
     * @param target the revision of the newest rolling generation
     * @param slots every pod slot
     * @param outdated slots to restart, in restart order: pods that do not serve first, then by generation and ordinal
     * @param inFlight missing, terminating or respawning pods, and pods of the target revision not yet Ready
     * @param updated shards on pods of their generation's revision
     * @param total shards of the rolling generations
     * @param totalSteps identify steps a restart of every pod takes
     * @param done steps done: all of them less those the outdated pods still need
     * @param packing how the outdated pods form steps
     */
    private record Survey(
            String target,
            List<Slot> slots,
            List<Slot> outdated,
            List<Slot> inFlight,
            int updated,
            int total,
            int totalSteps,
            int done,
            Packing packing) {

        Progress at(int step, State state, String detail) {
            return new Progress(target, updated, total, step, totalSteps, state, detail);
        }

        String remaining() {
            return outdated.size() + " pods ("
                    + outdated.stream().mapToInt(x -> x.shards().size()).sum() + " shards) on older revisions";
        }
    }

    /**
     * The gates, in order: complete, halted, paused, waiting for the previous step's shards, waiting for the identify
     * window, waiting for the StatefulSet controller to see the new template; past all of them, the next step ({@link #step}). Adds the pods of the step to {@code restarts}.
     */
    static Progress plan(RolloutInput in, IdentifyBudget budget, List<PodRestart> restarts, List<Instant> wakeups) {
        RolloutSettings s = in.settings();
        Instant now = in.now();
        Optional<Instant> restartAt = restartAtDue(s, now, wakeups);
        List<GenerationState> gens = in.generations().stream()
                .filter(g -> in.rolling().contains(g.generation()) && g.targetHash() != null)
                .sorted(Comparator.comparingInt(GenerationState::generation))
                .toList();
        if (gens.isEmpty()) {
            return new Progress(null, 0, 0, 0, 0, State.COMPLETE, "no shard StatefulSet yet");
        }
        Set<String> respawning = restarts.stream().map(r -> r.pod().name()).collect(Collectors.toSet());
        Survey v = survey(gens, restartAt, respawning, s);

        // complete once no pod of an older revision is left (terminating and respawning ones included) and the pods the
        // rollout restarted have all had their shards start a session since
        if (v.updated() == v.total() - missingShards(v.slots(), now.minus(s.readyTimeout()))
                && v.inFlight().stream().noneMatch(RollingRestart::restartedWithoutSession)) {
            return v.at(v.totalSteps(), State.COMPLETE, "");
        }
        List<Slot> stuck = stuck(v.inFlight(), s, now, wakeups);
        if (!stuck.isEmpty()) {
            return v.at(v.done(), State.HALTED, haltedDetail(v, stuck, s));
        }
        if (s.paused() && !v.outdated().isEmpty()) {
            return v.at(v.done(), State.PAUSED, v.remaining());
        }
        if (!v.inFlight().isEmpty() || v.outdated().isEmpty()) {
            return v.at(Math.max(v.done(), 1), State.WAITING_FOR_READY, waitingDetail(v.inFlight()));
        }
        Optional<Instant> window = s.sessionHandOff() ? Optional.empty() : nextWindow(in, gens);
        if (window.isPresent() && now.isBefore(window.get())) {
            wakeups.add(window.get());
            return v.at(
                    v.done() + 1,
                    State.WAITING_FOR_IDENTIFY_WINDOW,
                    "waiting for the identify window (respawnDelay " + human(s.respawnDelay())
                            + " after the last identify)");
        }
        Optional<GenerationState> lagging = v.outdated().stream()
                .map(Slot::gen)
                .filter(g -> !g.controllerCurrent())
                .findFirst();
        if (lagging.isPresent()) {
            wakeups.add(now.plus(RolloutPlanner.MIN_RECHECK));
            return v.at(
                    v.done() + 1,
                    State.WAITING_FOR_STATEFULSET,
                    "waiting for the StatefulSet controller to pick up revision "
                            + lagging.get().targetHash() + " of "
                            + lagging.get().statefulSet());
        }
        return step(v, restartAt, budget, restarts, wakeups, now);
    }

    /** The {@code restart-at} time once it has passed (second precision); until then it is a wake-up. */
    private static Optional<Instant> restartAtDue(RolloutSettings s, Instant now, List<Instant> wakeups) {
        Optional<Instant> restartAt = s.restartAt().map(t -> t.truncatedTo(ChronoUnit.SECONDS));
        if (restartAt.isPresent() && now.isBefore(restartAt.get())) {
            wakeups.add(restartAt.get());
            return Optional.empty();
        }
        return restartAt;
    }

    /** Classifies every pod slot of the rolling generations and counts shards and steps. */
    private static Survey survey(
            List<GenerationState> gens, Optional<Instant> restartAt, Set<String> respawning, RolloutSettings s) {
        List<Slot> slots = new ArrayList<>();
        for (GenerationState gen : gens) {
            for (int ordinal = 0; ordinal < gen.podCount(); ordinal++) {
                slots.add(slot(gen, ordinal, restartAt, respawning));
            }
        }
        int total = slots.stream().mapToInt(x -> x.shards().size()).sum();
        int updated = slots.stream()
                .filter(x -> x.pod() != null && !x.outdated())
                .mapToInt(x -> x.shards().size())
                .sum();
        List<Slot> outdated = slots.stream()
                .filter(x -> x.kind() == Kind.OUTDATED)
                .sorted(Comparator.comparing((Slot x) -> x.serving())
                        .thenComparingInt(x -> x.gen().generation())
                        .thenComparingInt(Slot::ordinal))
                .toList();
        List<Slot> inFlight =
                slots.stream().filter(x -> x.kind() == Kind.IN_FLIGHT).toList();
        Packing packing = new Packing(
                s.maxConcurrency(), s.sessionHandOff() ? Math.max(1, (slots.size() + 3) / HAND_OFF_SHARE) : 0);
        int totalSteps = packing.pack(slots).size();
        int done = totalSteps - packing.pack(outdated).size();
        String target = gens.get(gens.size() - 1).targetHash();
        return new Survey(target, slots, outdated, inFlight, updated, total, totalSteps, done, packing);
    }

    /**
     * How pods form steps: identify steps (one shard per bucket), or, when sessions are handed over, runs of
     * {@code handOffPods} pods in order, since a RESUME has no bucket and no window.
     */
    private record Packing(int maxConcurrency, int handOffPods) {
        List<List<Slot>> pack(List<Slot> pods) {
            if (handOffPods == 0) {
                return IdentifySteps.pack(pods, Slot::shardIds, maxConcurrency);
            }
            List<List<Slot>> steps = new ArrayList<>();
            for (int i = 0; i < pods.size(); i += handOffPods) {
                steps.add(pods.subList(i, Math.min(pods.size(), i + handOffPods)));
            }
            return steps;
        }

        List<Slot> first(List<Slot> pods) {
            List<List<Slot>> steps = pack(pods);
            return steps.isEmpty() ? List.of() : steps.get(0);
        }
    }

    private static Slot slot(GenerationState gen, int ordinal, Optional<Instant> restartAt, Set<String> respawning) {
        PodState pod = gen.pods().get(ordinal);
        List<ShardState> shards = gen.shardsOf(ordinal);
        boolean outdated = pod != null
                && (!Objects.equals(pod.templateHash(), gen.targetHash())
                        || (restartAt.isPresent() && pod.createdAt().isBefore(restartAt.get())));
        boolean serving = pod != null && !pod.isDead() && shards.stream().allMatch(sh -> sh.readyOn(pod));
        Kind kind;
        if (pod == null || pod.terminating() || respawning.contains(pod.name())) {
            kind = Kind.IN_FLIGHT;
        } else if (outdated) {
            kind = Kind.OUTDATED;
        } else {
            kind = serving ? Kind.SETTLED : Kind.IN_FLIGHT;
        }
        return new Slot(gen, ordinal, pod, shards, kind, outdated, serving);
    }

    /** Past every gate: the first identify step of the outdated pods, if the identify budget allows it. */
    private static Progress step(
            Survey v,
            Optional<Instant> restartAt,
            IdentifyBudget budget,
            List<PodRestart> restarts,
            List<Instant> wakeups,
            Instant now) {
        List<Slot> step = v.packing().first(v.outdated());
        int identifies = step.stream().mapToInt(x -> x.shards().size()).sum();
        if (!budget.take(identifies)) {
            wakeups.add(now.plus(RolloutPlanner.BUDGET_RECHECK));
            return v.at(
                    v.done() + 1,
                    State.WAITING_FOR_IDENTIFY_BUDGET,
                    "waiting for the identify budget (" + budget.describe() + "); " + v.remaining());
        }
        for (Slot x : step) {
            boolean templateChanged =
                    !Objects.equals(x.pod().templateHash(), x.gen().targetHash());
            restarts.add(RolloutPlanner.restart(
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
        List<Slot> rest = new ArrayList<>(v.outdated());
        rest.removeAll(step);
        int stepNumber = v.totalSteps() - v.packing().pack(rest).size();
        return v.at(
                stepNumber,
                State.RESTARTING,
                "restarting " + step.stream().map(Slot::describe).collect(Collectors.joining(", ")));
    }

    private static String haltedDetail(Survey v, List<Slot> stuck, RolloutSettings s) {
        return stuck.get(0).describe()
                + " not Ready within readyTimeout " + human(s.readyTimeout()) + " of its restart"
                + (stuck.size() > 1 ? " (and " + (stuck.size() - 1) + " more)" : "") + "; "
                + (v.outdated().isEmpty()
                        ? "the rollout completes once it is Ready"
                        : v.remaining() + " stay as they are until it is Ready or the pod template changes");
    }

    private static String waitingDetail(List<Slot> inFlight) {
        return "waiting for "
                + inFlight.stream().limit(4).map(Slot::describe).collect(Collectors.joining(", "))
                + (inFlight.size() > 4 ? " and " + (inFlight.size() - 4) + " more" : "")
                + " to report Ready";
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
