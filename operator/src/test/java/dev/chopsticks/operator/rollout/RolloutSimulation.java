package dev.chopsticks.operator.rollout;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Discrete-event simulation of a rolling restart driven by the pure planner: deleted pods come back after
 * {@code podStart}; their bots identify {@code botStart} later, but never sooner than 5 s after the previous identify
 * in the same bucket (the bots' identify queue); Ready follows the identify at once. With session hand-off the bots
 * resume instead: Ready {@code botStart} after the pod, no bucket. Records every delete and identify. The clock only
 * moves to the next event or the planner's recheck time.
 */
final class RolloutSimulation {
    record Restart(Instant at, int ordinal, RestartReason reason, int step) {}

    private record Event(Instant at, Runnable action) {}

    final Fleet fleet;
    RolloutSettings settings;
    final Duration podStart;
    final Duration botStart;
    Instant now;
    final List<Restart> restarts = new ArrayList<>();
    final Map<Integer, List<Instant>> identifiesByBucket = new HashMap<>();
    final List<RolloutDecision> decisions = new ArrayList<>();
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.at().compareTo(b.at()));

    RolloutSimulation(Fleet fleet, RolloutSettings settings, Duration podStart, Duration botStart, Instant start) {
        this.fleet = fleet;
        this.settings = settings;
        this.podStart = podStart;
        this.botStart = botStart;
        this.now = start;
    }

    /** Runs until the planner reports the rollout complete with nothing left to happen; returns the end time. */
    Instant run(int maxIterations) {
        for (int i = 0; i < maxIterations; i++) {
            RolloutDecision d = step();
            boolean done = d.progress().state() == RolloutDecision.State.COMPLETE && events.isEmpty();
            if (done) {
                return now;
            }
            Instant next = events.isEmpty() ? null : events.peek().at();
            if (d.recheckAfter().isPresent()) {
                Instant recheck = now.plus(d.recheckAfter().get());
                next = next == null || recheck.isBefore(next) ? recheck : next;
            }
            if (next == null) {
                throw new IllegalStateException("stuck: " + d.progress());
            }
            advanceTo(next);
        }
        throw new IllegalStateException("did not finish in " + maxIterations + " iterations");
    }

    /** One reconcile: plan and carry out (record, delete, schedule the StatefulSet and the bot). */
    RolloutDecision step() {
        fleet.heartbeatAll(now);
        RolloutDecision d = RolloutPlanner.plan(RolloutInput.of(now, settings, fleet.state()));
        decisions.add(d);
        for (RolloutDecision.PodRestart r : d.restarts()) {
            int ordinal = r.pod().ordinal();
            restarts.add(new Restart(now, ordinal, r.reason(), d.progress().step()));
            fleet.recordRestart(ordinal, r.reason(), now);
            fleet.pods.remove(ordinal);
            Instant created = now.plus(podStart).truncatedTo(ChronoUnit.SECONDS);
            if (created.isBefore(now)) {
                created = now;
            }
            Instant createdAt = created;
            events.add(new Event(now.plus(podStart), () -> {
                fleet.recreate(ordinal, createdAt);
                scheduleIdentify(ordinal);
            }));
        }
        return d;
    }

    private void scheduleIdentify(int ordinal) {
        Instant latest = now.plus(botStart);
        if (settings.sessionHandOff()) {
            Instant resumedAt = latest;
            events.add(new Event(resumedAt, () -> fleet.ready(ordinal, resumedAt)));
            return;
        }
        for (int id : fleet.ids(ordinal)) {
            int bucket = id % settings.maxConcurrency();
            List<Instant> previous = identifiesByBucket.computeIfAbsent(bucket, b -> new ArrayList<>());
            Instant at = now.plus(botStart);
            if (!previous.isEmpty()) {
                Instant earliest = previous.get(previous.size() - 1).plusSeconds(5);
                at = at.isBefore(earliest) ? earliest : at;
            }
            previous.add(at);
            latest = at.isAfter(latest) ? at : latest;
        }
        Instant readyAt = latest;
        events.add(new Event(readyAt, () -> fleet.ready(ordinal, readyAt)));
    }

    void advanceTo(Instant t) {
        while (!events.isEmpty() && !events.peek().at().isAfter(t)) {
            Event e = events.poll();
            now = e.at();
            e.action().run();
        }
        now = t;
    }

    long restartsOf(int ordinal) {
        return restarts.stream().filter(r -> r.ordinal() == ordinal).count();
    }
}
