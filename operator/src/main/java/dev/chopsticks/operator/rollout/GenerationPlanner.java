package dev.chopsticks.operator.rollout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Zero-downtime resharding, pure: which shard generations should exist and which one serves. A generation is one
 * StatefulSet with a fixed layout (shard count and shards per pod); the active one is published in the
 * {@code <cluster>-generation} ConfigMap ({@code active-generation}), which the bots read to decide whether to handle
 * events.
 *
 * <ol>
 *   <li>No generation yet: generation 1 with the desired layout, active.
 *   <li>The active generation A is the ConfigMap's if that generation exists, else the oldest. Generations older than
 *       A are retired (they were replaced); of the newer ones the newest is the pending generation P, the others are
 *       retired.
 *   <li>A has the desired layout: it stays, alone (a pending P is abandoned).
 *   <li>A does not serve at all (no shard Ready): the desired layout becomes active at once (in P, else a new
 *       generation), nothing to keep available.
 *   <li>Otherwise the desired layout runs in P (created as max+1 once the ConfigMap exists, so new bots never start
 *       without the switch to read; updated in place if the layout changed again) next to A, and becomes active
 *       once all its shards are Ready.
 *   <li>A switched-from generation is retired only in the reconcile after the switch, once the ConfigMap says so:
 *       the old bots stop handling events before their pods go.
 * </ol>
 *
 * <p>With {@code rollout.sessionHandOff} a pod-template change (image, config) of a serving generation is a
 * <em>make-before-break</em> rollout through the same machinery: the new template runs as generation P with the same
 * layout while A stays pinned to its template and keeps serving. P's bots get warm (JVM, data layer, JDA) and report
 * {@code Standby} instead of identifying; once every shard of P is Ready or Standby, P becomes active and the
 * ConfigMap names A in {@code sessions-from}: A's bots drop their sessions, P's RESUME them (see
 * docs/design/session-handoff.md).
 */
public final class GenerationPlanner {
    private GenerationPlanner() {}

    /** A layout: shard count and shards per pod. */
    public record Layout(int shards, int shardsPerPod) {}

    /**
     * An existing generation as observed.
     *
     * @param generation number
     * @param layout its StatefulSet's layout
     * @param allReady every shard Ready (or warm in Standby, waiting to take its session over) on a pod of the current
     *     revision
     * @param readyShards shards Ready in their current pod's session
     * @param templateCurrent its StatefulSet's pod template is what the spec asks for now
     */
    public record Observed(int generation, Layout layout, boolean allReady, int readyShards, boolean templateCurrent) {
        public Observed(int generation, Layout layout, boolean allReady, int readyShards) {
            this(generation, layout, allReady, readyShards, true);
        }

        public static Observed of(GenerationState g, boolean templateCurrent) {
            return new Observed(
                    g.generation(),
                    new Layout(g.shardCount(), g.shardsPerPod()),
                    g.readyToServe(),
                    g.readyShards(),
                    templateCurrent);
        }
    }

    /** A generation that should exist. */
    public record Live(int generation, Layout layout) {}

    /**
     * The decision.
     *
     * @param live generations to keep or create, oldest first
     * @param active the generation to publish as active
     * @param previouslyActive the generation the ConfigMap named (or the oldest), empty when there was none
     * @param pending the generation being brought up next to the active one, if any
     * @param retired existing generations to delete
     * @param reason why the active one is active, for Events and status
     * @param pinned a generation whose StatefulSet keeps its pod template: the serving one during a session hand-off
     * @param sessionsFrom the generation whose sessions the active one resumes, on the switch of a hand-off
     */
    public record Decision(
            List<Live> live,
            int active,
            OptionalInt previouslyActive,
            OptionalInt pending,
            List<Integer> retired,
            String reason,
            OptionalInt pinned,
            OptionalInt sessionsFrom) {

        public Optional<Live> live(int generation) {
            return live.stream().filter(l -> l.generation() == generation).findFirst();
        }

        public boolean switched() {
            return previouslyActive.isPresent() && previouslyActive.getAsInt() != active;
        }

        /** The pending generation takes the sessions over from the serving one (make-before-break). */
        public boolean handingOver() {
            return pinned.isPresent();
        }
    }

    /** Without session hand-off: a template change stays in place (the rolling restart's business). */
    public static Decision plan(List<Observed> observed, OptionalInt configMapActive, Layout desired) {
        return plan(observed, configMapActive, desired, false);
    }

    public static Decision plan(
            List<Observed> observed, OptionalInt configMapActive, Layout desired, boolean sessionHandOff) {
        if (observed.isEmpty()) {
            return new Decision(
                    List.of(new Live(1, desired)),
                    1,
                    OptionalInt.empty(),
                    OptionalInt.empty(),
                    List.of(),
                    "first generation",
                    OptionalInt.empty(),
                    OptionalInt.empty());
        }
        List<Observed> sorted = observed.stream()
                .sorted(Comparator.comparingInt(Observed::generation))
                .toList();
        Observed a = sorted.stream()
                .filter(o -> configMapActive.isPresent() && o.generation() == configMapActive.getAsInt())
                .findFirst()
                .orElse(sorted.get(0));
        Optional<Observed> p = sorted.stream()
                .filter(o -> o.generation() > a.generation())
                .max(Comparator.comparingInt(Observed::generation));
        int next = sorted.get(sorted.size() - 1).generation() + 1;
        OptionalInt previouslyActive = OptionalInt.of(a.generation());

        List<Live> live = new ArrayList<>();
        live.add(new Live(a.generation(), a.layout()));
        int active = a.generation();
        OptionalInt pending = OptionalInt.empty();
        boolean sameLayout = a.layout().equals(desired);
        // make-before-break: a serving generation with an outdated template hands its sessions to a warm successor
        boolean handOver = sessionHandOff && sameLayout && !a.templateCurrent() && a.readyShards() > 0;
        String reason;
        if (sameLayout && !handOver) {
            reason = "generation " + a.generation() + " has the desired layout";
        } else if (!sameLayout && a.readyShards() == 0) {
            int n = p.map(Observed::generation).orElse(next);
            live.add(new Live(n, desired));
            active = n;
            pending = OptionalInt.of(n);
            reason = "generation " + a.generation() + " has no Ready shard to keep serving";
        } else if (p.isPresent()) {
            Observed pg = p.get();
            live.add(new Live(pg.generation(), desired));
            pending = OptionalInt.of(pg.generation());
            if (pg.layout().equals(desired) && pg.allReady()) {
                active = pg.generation();
                reason = handOver
                        ? "all " + desired.shards() + " shards of generation " + pg.generation()
                                + " are warm: they resume the sessions of generation " + a.generation()
                        : "all " + desired.shards() + " shards of generation " + pg.generation() + " are Ready";
            } else {
                reason = "generation " + pg.generation() + " is starting: " + pg.readyShards() + "/" + desired.shards()
                        + (handOver
                                ? " shards Ready, the others warming up to take the sessions over"
                                : " shards Ready");
            }
        } else if (configMapActive.isEmpty()) {
            reason = "waiting for the active-generation ConfigMap before starting generation " + next;
        } else {
            live.add(new Live(next, desired));
            pending = OptionalInt.of(next);
            reason = "generation " + next + " is starting: 0/" + desired.shards() + " shards Ready";
        }
        List<Integer> keep = live.stream().map(Live::generation).toList();
        List<Integer> retired = sorted.stream()
                .map(Observed::generation)
                .filter(g -> !keep.contains(g))
                .toList();
        OptionalInt pinned = handOver ? OptionalInt.of(a.generation()) : OptionalInt.empty();
        OptionalInt sessionsFrom =
                handOver && active != a.generation() ? OptionalInt.of(a.generation()) : OptionalInt.empty();
        return new Decision(
                List.copyOf(live), active, previouslyActive, pending, retired, reason, pinned, sessionsFrom);
    }
}
