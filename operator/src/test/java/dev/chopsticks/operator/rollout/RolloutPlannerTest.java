package dev.chopsticks.operator.rollout;

import static dev.chopsticks.operator.rollout.Fleet.s;
import static dev.chopsticks.operator.rollout.Fleet.t0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.operator.rollout.RolloutDecision.Refusal;
import dev.chopsticks.operator.rollout.RolloutDecision.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolloutPlannerTest {
    static final Instant CREATED = t0().minus(Duration.ofDays(1));

    static Fleet fleet16(String target) {
        return new Fleet(16, 1, target, CREATED);
    }

    static Set<String> deleted(RolloutDecision d) {
        return d.restarts().stream().map(r -> r.pod().name()).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> pods(int... ordinals) {
        return IntStream.of(ordinals).mapToObj(o -> Fleet.STS + "-" + o).collect(Collectors.toCollection(TreeSet::new));
    }

    // ---- bucket order and parallelism ----

    @ParameterizedTest(name = "maxConcurrency {0}: first step {1} pods, {2} steps")
    @CsvSource({"1, 1, 16", "4, 4, 4", "16, 16, 1"})
    void firstStepTakesOnePodPerBucket(int mc, int firstStep, int steps) {
        Fleet f = fleet16("old");
        f.target = "new";
        RolloutDecision d = RolloutPlanner.plan(RolloutInput.of(t0(), RolloutSettings.defaults(mc), f.state()));
        assertThat(d.restarts())
                .hasSize(firstStep)
                .allSatisfy(r -> assertThat(r.reason()).isEqualTo(RestartReason.ROLLOUT));
        assertThat(deleted(d)).isEqualTo(pods(IntStream.range(0, firstStep).toArray()));
        assertThat(d.restarts().stream()
                        .map(r -> r.shardIds().get(0) % mc)
                        .distinct()
                        .count())
                .isEqualTo(firstStep);
        assertThat(d.progress().totalSteps()).isEqualTo(steps);
        assertThat(d.progress().step()).isEqualTo(1);
        assertThat(d.progress().state()).isEqualTo(State.RESTARTING);
        assertThat(d.progress().targetRevision()).isEqualTo("new");
        assertThat(d.progress().updatedShards()).isZero();
    }

    /**
     * The whole rollout, simulated: every pod replaced exactly once, steps in bucket order, a step only after the
     * previous one's shards are Ready, identifies of one bucket at least respawnDelay apart, and the total close to the
     * physical limit of ceil(16 / maxConcurrency) identify windows.
     */
    @ParameterizedTest(name = "maxConcurrency {0}")
    @CsvSource({"1", "4", "16"})
    void fullRolloutReplacesEachPodOnceInBucketOrder(int mc) {
        Fleet f = fleet16("old");
        f.target = "new";
        RolloutSettings settings = RolloutSettings.defaults(mc); // respawnDelay 5.5s
        var sim = new RolloutSimulation(f, settings, s(1), s(2), t0());
        Instant end = sim.run(10_000);

        assertThat(IntStream.range(0, 16).mapToLong(sim::restartsOf))
                .as("restarts per pod")
                .containsOnly(1L);
        Map<Integer, List<Integer>> byStep = new TreeMap<>();
        sim.restarts.forEach(
                r -> byStep.computeIfAbsent(r.step(), k -> new ArrayList<>()).add(r.ordinal()));
        assertThat(byStep).hasSize((16 + mc - 1) / mc);
        int step = 0;
        for (List<Integer> ordinals : byStep.values()) {
            assertThat(ordinals)
                    .as("step %d in bucket order", step)
                    .containsExactlyElementsOf(
                            IntStream.range(step * mc, (step + 1) * mc).boxed().toList());
            step++;
        }
        // a pod of step k+1 is deleted only after every shard of step k reported Ready
        List<RolloutSimulation.Restart> ordered = sim.restarts.stream()
                .sorted(Comparator.comparing(RolloutSimulation.Restart::at))
                .toList();
        for (RolloutSimulation.Restart r : ordered) {
            if (r.step() > 1) {
                int prevFirst = (r.step() - 2) * mc;
                for (int o = prevFirst; o < prevFirst + mc; o++) {
                    assertThat(f.shardStates.get(o).sessionStartedAt())
                            .as("shard %d Ready before pod %d deleted", o, r.ordinal())
                            .isBeforeOrEqualTo(r.at());
                }
            }
        }
        // the identify pacing the operator aims for: respawnDelay between identifies of one bucket
        sim.identifiesByBucket.forEach((bucket, times) -> {
            for (int i = 1; i < times.size(); i++) {
                assertThat(Duration.between(times.get(i - 1), times.get(i)))
                        .as("bucket %d", bucket)
                        .isGreaterThanOrEqualTo(settings.respawnDelay());
            }
        });
        Duration total = Duration.between(t0(), end);
        int windows = (16 + mc - 1) / mc;
        double limit = windows * 5.0;
        System.out.printf(
                "planner simulation: 16 shards, maxConcurrency %2d: rollout %5.1f s; physical limit %3d x 5 s = "
                        + "%4.0f s; bound 1.1 x limit + pod start (3 s) = %5.1f s%n",
                mc, total.toMillis() / 1000.0, windows, limit, 1.1 * limit + 3);
        assertThat(total.toMillis() / 1000.0).isLessThanOrEqualTo(1.1 * limit + 3);
    }

    /**
     * Found by the e2e kill loop: a pod deleted before the StatefulSet controller had seen the new template came back
     * on the old revision, and the rollout restarted it a second time.
     */
    @Test
    void noPodIsDeletedBeforeTheStatefulSetControllerHasSeenTheNewTemplate() {
        Fleet f = fleet16("old");
        f.target = "new";
        f.controllerCurrent = false;
        RolloutDecision waiting = RolloutPlanner.plan(RolloutInput.of(t0(), RolloutSettings.defaults(4), f.state()));
        assertThat(waiting.restarts()).isEmpty();
        assertThat(waiting.progress().state()).isEqualTo(State.WAITING_FOR_STATEFULSET);
        assertThat(waiting.progress().detail()).contains("new", Fleet.STS);
        assertThat(waiting.recheckAfter())
                .as("the controller's status is polled, not waited for")
                .isPresent();

        f.controllerCurrent = true;
        RolloutDecision d = RolloutPlanner.plan(RolloutInput.of(t0(), RolloutSettings.defaults(4), f.state()));
        assertThat(deleted(d)).isEqualTo(pods(0, 1, 2, 3));
    }

    @Test
    void notServingPodsGoFirst() {
        Fleet f = fleet16("old");
        f.target = "new";
        f.phase(9, ShardPhase.Disconnected);
        f.dead(13, null);
        RolloutDecision d = RolloutPlanner.plan(RolloutInput.of(t0(), RolloutSettings.defaults(4), f.state()));
        // 9 (bucket 1) first, then the lowest serving ones of the remaining buckets 0, 2, 3
        assertThat(deleted(d)).isEqualTo(pods(9, 0, 2, 3));
    }

    @Test
    void severalShardsPerPodPackByBucket() {
        // 16 shards, 2 per pod, maxConcurrency 4: pods {0,1} {2,3} fill the 4 buckets -> 2 pods per step, 4 steps
        Fleet f = new Fleet(16, 2, "old", CREATED);
        f.target = "new";
        RolloutDecision d = RolloutPlanner.plan(RolloutInput.of(t0(), RolloutSettings.defaults(4), f.state()));
        assertThat(deleted(d)).isEqualTo(pods(0, 1));
        assertThat(d.progress().totalSteps()).isEqualTo(4);

        // 4 shards per pod with maxConcurrency 1: one pod per step; its 4 shards take 4 windows inside the pod
        Fleet g = new Fleet(16, 4, "old", CREATED);
        g.target = "new";
        RolloutDecision e = RolloutPlanner.plan(RolloutInput.of(t0(), RolloutSettings.defaults(1), g.state()));
        assertThat(deleted(e)).isEqualTo(pods(0));
        assertThat(e.progress().totalSteps()).isEqualTo(4);
        assertThat(IdentifySteps.windowsOf(List.of(0, 1, 2, 3), 1)).isEqualTo(4);

        // 3 shards per pod, maxConcurrency 4: {0,1,2} then {3,4,5} collides on bucket 3 -> alone per step, first fit
        Fleet h = new Fleet(12, 3, "old", CREATED);
        h.target = "new";
        assertThat(IdentifySteps.pack(List.of(0, 1, 2, 3), h::ids, 4))
                .containsExactly(List.of(0), List.of(1), List.of(2), List.of(3));
    }

    // ---- waiting: Ready, identify window, budget, pause ----

    @Test
    void nextStepWaitsForFreshReadyThenForTheIdentifyWindow() {
        Fleet f = fleet16("old");
        f.target = "new";
        RolloutSettings settings = RolloutSettings.defaults(4);
        Instant t = t0();
        RolloutDecision first = RolloutPlanner.plan(RolloutInput.of(t, settings, f.state()));
        assertThat(first.restarts()).hasSize(4);
        for (int o = 0; o < 4; o++) {
            f.recordRestart(o, RestartReason.ROLLOUT, t);
            f.recreate(o, t.plusSeconds(1));
        }
        // recreated, but their Shards still show the old pods' Ready: not fresh, so the step is in flight
        RolloutDecision waiting = RolloutPlanner.plan(RolloutInput.of(t.plusSeconds(2), settings, f.state()));
        assertThat(waiting.restarts()).isEmpty();
        assertThat(waiting.progress().state()).isEqualTo(State.WAITING_FOR_READY);
        assertThat(waiting.progress().currentStep()).startsWith("step 1 of 4: waiting for c-shards-0 (shard 0)");
        assertThat(waiting.progress().updatedShards()).isEqualTo(4);

        Instant identified = t.plusSeconds(3);
        for (int o = 0; o < 4; o++) {
            f.ready(o, identified);
        }
        // lead observed: restart -> identify took 3 s, so the next step may start 5.5 - 3 = 2.5 s after the identify
        RolloutDecision window = RolloutPlanner.plan(RolloutInput.of(identified.plusSeconds(1), settings, f.state()));
        assertThat(window.restarts()).isEmpty();
        assertThat(window.progress().state()).isEqualTo(State.WAITING_FOR_IDENTIFY_WINDOW);
        assertThat(window.recheckAfter()).contains(s(1.5));
        RolloutDecision next = RolloutPlanner.plan(RolloutInput.of(identified.plus(s(2.5)), settings, f.state()));
        assertThat(deleted(next)).isEqualTo(pods(4, 5, 6, 7));
        assertThat(next.progress().step()).isEqualTo(2);
    }

    /**
     * With session hand-off the restarted shards resume: a step is a quarter of the pods whatever their buckets, and
     * the next one follows as soon as the previous one is Ready, with no identify window.
     */
    @Test
    void sessionHandOffStepsAQuarterOfThePodsWithoutIdentifyWindows() {
        Fleet f = fleet16("old");
        f.target = "new";
        RolloutSettings settings = RolloutSettings.defaults(1).withSessionHandOff(true);
        Instant t = t0();
        RolloutDecision first = RolloutPlanner.plan(RolloutInput.of(t, settings, f.state()));
        assertThat(deleted(first)).isEqualTo(pods(0, 1, 2, 3));
        assertThat(first.progress().totalSteps()).isEqualTo(4);
        for (int o = 0; o < 4; o++) {
            f.recordRestart(o, RestartReason.ROLLOUT, t);
            f.recreate(o, t.plusSeconds(1));
        }
        Instant resumed = t.plusSeconds(2);
        for (int o = 0; o < 4; o++) {
            f.ready(o, resumed);
        }
        // identify-paced, this would wait respawnDelay (5.5 s) after the last session start
        RolloutDecision next = RolloutPlanner.plan(RolloutInput.of(resumed.plusMillis(100), settings, f.state()));
        assertThat(deleted(next)).isEqualTo(pods(4, 5, 6, 7));
        assertThat(next.progress().step()).isEqualTo(2);

        RolloutDecision paced = RolloutPlanner.plan(
                RolloutInput.of(resumed.plusMillis(100), settings.withSessionHandOff(false), f.state()));
        assertThat(paced.restarts()).isEmpty();
        assertThat(paced.progress().state()).isEqualTo(State.WAITING_FOR_IDENTIFY_WINDOW);
    }

    /** A whole hand-off rollout of 16 pods at maxConcurrency 1: 4 steps, each pod once, in ordinal order. */
    @Test
    void fullSessionHandOffRolloutTakesFourSteps() {
        Fleet f = fleet16("old");
        f.target = "new";
        var sim = new RolloutSimulation(f, RolloutSettings.defaults(1).withSessionHandOff(true), s(1), s(2), t0());
        Instant end = sim.run(10_000);
        assertThat(IntStream.range(0, 16).mapToLong(sim::restartsOf)).containsOnly(1L);
        Map<Integer, List<Integer>> byStep = new TreeMap<>();
        sim.restarts.forEach(
                r -> byStep.computeIfAbsent(r.step(), k -> new ArrayList<>()).add(r.ordinal()));
        assertThat(byStep.values())
                .containsExactly(
                        List.of(0, 1, 2, 3), List.of(4, 5, 6, 7), List.of(8, 9, 10, 11), List.of(12, 13, 14, 15));
        Duration total = Duration.between(t0(), end);
        System.out.printf(
                "planner simulation: 16 shards, session hand-off: rollout %.1f s (identify-paced at maxConcurrency 1:"
                        + " >= 80 s)%n",
                total.toMillis() / 1000.0);
        assertThat(total).isLessThan(Duration.ofSeconds(20));
    }

    /** The lead comes from the latest step: a slow step under load must not be paced by an earlier quick one. */
    @Test
    void theIdentifyLeadIsTheLatestStepsNotTheFastestEverSeen() {
        Fleet f = fleet16("old");
        f.target = "new";
        RolloutSettings settings = RolloutSettings.defaults(4);
        Instant t = t0();
        // step 1: restart -> identify took 1 s
        for (int o = 0; o < 4; o++) {
            f.recordRestart(o, RestartReason.ROLLOUT, t);
            f.recreate(o, t.plusMillis(500));
            f.ready(o, t.plusSeconds(1));
        }
        // step 2, ten seconds later, under load: restart -> identify took 4 s
        Instant t2 = t.plusSeconds(10);
        for (int o = 4; o < 8; o++) {
            f.recordRestart(o, RestartReason.ROLLOUT, t2);
            f.recreate(o, t2.plusMillis(500));
            f.ready(o, t2.plusSeconds(4));
        }
        Instant identified = t2.plusSeconds(4);
        // window = last identify + 5.5 s - 4 s (not - 1 s): 1.5 s after the identify
        RolloutDecision early = RolloutPlanner.plan(RolloutInput.of(identified.plusSeconds(1), settings, f.state()));
        assertThat(early.restarts()).isEmpty();
        assertThat(early.progress().state()).isEqualTo(State.WAITING_FOR_IDENTIFY_WINDOW);
        assertThat(early.recheckAfter()).contains(s(0.5));
        RolloutDecision next = RolloutPlanner.plan(RolloutInput.of(identified.plus(s(1.5)), settings, f.state()));
        assertThat(deleted(next)).isEqualTo(pods(8, 9, 10, 11));
    }

    @Test
    void theLastStepCompletesOnlyWhenItsShardsAreReady() {
        Fleet f = new Fleet(4, 1, "old", CREATED);
        f.target = "new";
        RolloutSettings settings = RolloutSettings.defaults(16);
        Instant t = t0();
        assertThat(RolloutPlanner.plan(RolloutInput.of(t, settings, f.state())).restarts())
                .hasSize(4);
        for (int o = 0; o < 4; o++) {
            f.recordRestart(o, RestartReason.ROLLOUT, t);
            f.recreate(o, t.plusSeconds(1));
        }
        RolloutDecision pending = RolloutPlanner.plan(RolloutInput.of(t.plusSeconds(2), settings, f.state()));
        assertThat(pending.progress().state()).isEqualTo(State.WAITING_FOR_READY);
        assertThat(pending.progress().updatedShards()).isEqualTo(4);
        assertThat(pending.progress().currentStep()).startsWith("step 1 of 1: waiting for");
        for (int o = 0; o < 4; o++) {
            f.ready(o, t.plusSeconds(3));
        }
        assertThat(RolloutPlanner.plan(RolloutInput.of(t.plusSeconds(4), settings, f.state()))
                        .progress()
                        .state())
                .isEqualTo(State.COMPLETE);
    }

    @Test
    void pausedRolloutMakesNoStepButRespawnsGoOn() {
        Fleet f = fleet16("old");
        f.target = "new";
        f.dead(5, "in CrashLoopBackOff");
        RolloutDecision d = RolloutPlanner.plan(
                RolloutInput.of(t0(), RolloutSettings.defaults(4).withPaused(true), f.state()));
        assertThat(d.progress().state()).isEqualTo(State.PAUSED);
        assertThat(d.restarts()).singleElement().satisfies(r -> {
            assertThat(r.pod().name()).isEqualTo("c-shards-5");
            assertThat(r.reason()).isEqualTo(RestartReason.CRASH_LOOP);
        });
    }

    @Test
    void rolloutWaitsForTheIdentifyBudget() {
        Fleet f = fleet16("old");
        f.target = "new";
        RolloutDecision d = RolloutPlanner.plan(
                RolloutInput.of(t0(), RolloutSettings.defaults(4).withIdentify(19, 16), f.state()));
        assertThat(d.restarts()).isEmpty();
        assertThat(d.progress().state()).isEqualTo(State.WAITING_FOR_IDENTIFY_BUDGET);
        assertThat(d.recheckAfter()).contains(Duration.ofMinutes(1));
        RolloutDecision ok = RolloutPlanner.plan(
                RolloutInput.of(t0(), RolloutSettings.defaults(4).withIdentify(20, 16), f.state()));
        assertThat(ok.restarts()).hasSize(4);
    }

    // ---- halt and resume ----

    @Test
    void aPodNotReadyWithinReadyTimeoutHaltsAndANewTemplateResumes() {
        Fleet f = fleet16("old");
        f.target = "bad";
        RolloutSettings settings = RolloutSettings.defaults(4); // readyTimeout 5m
        Instant t = t0();
        RolloutPlanner.plan(RolloutInput.of(t, settings, f.state())).restarts().forEach(r -> {
            f.recordRestart(r.pod().ordinal(), RestartReason.ROLLOUT, t);
            f.recreate(r.pod().ordinal(), t.plusSeconds(2));
        });
        f.ready(0, t.plusSeconds(4));
        f.ready(1, t.plusSeconds(4));
        f.ready(2, t.plusSeconds(4));
        f.phase(3, ShardPhase.Identifying); // pod 3 never gets Ready

        f.heartbeatAll(t.plus(Duration.ofMinutes(4)));
        RolloutDecision before =
                RolloutPlanner.plan(RolloutInput.of(t.plus(Duration.ofMinutes(4)), settings, f.state()));
        assertThat(before.progress().state()).isEqualTo(State.WAITING_FOR_READY);
        assertThat(before.recheckAfter()).contains(Duration.ofMinutes(1));

        f.heartbeatAll(t.plus(Duration.ofMinutes(5)));
        RolloutDecision halted =
                RolloutPlanner.plan(RolloutInput.of(t.plus(Duration.ofMinutes(5)), settings, f.state()));
        assertThat(halted.restarts()).isEmpty();
        assertThat(halted.progress().state()).isEqualTo(State.HALTED);
        assertThat(halted.progress().detail())
                .contains(
                        "c-shards-3 (shard 3) not Ready within readyTimeout 5m",
                        "12 pods (12 shards) on older revisions stay");
        assertThat(halted.progress().updatedShards()).isEqualTo(4);

        // still halted much later: nothing else is touched
        f.heartbeatAll(t.plus(Duration.ofHours(2)));
        assertThat(RolloutPlanner.plan(RolloutInput.of(t.plus(Duration.ofHours(2)), settings, f.state()))
                        .restarts())
                .isEmpty();

        // fixing the image: a new template; pod 3 (not serving) goes first, the rest of its step by bucket
        f.target = "fixed";
        Instant later = t.plus(Duration.ofHours(2));
        RolloutDecision resumed = RolloutPlanner.plan(RolloutInput.of(later, settings, f.state()));
        assertThat(resumed.progress().state()).isEqualTo(State.RESTARTING);
        assertThat(deleted(resumed)).isEqualTo(pods(3, 0, 1, 2));
    }

    @Test
    void aMissingPodAfterItsRestartHaltsToo() {
        Fleet f = fleet16("old");
        f.target = "new";
        f.recordRestart(0, RestartReason.ROLLOUT, t0());
        f.pods.remove(0); // deleted, never recreated (e.g. quota)
        f.heartbeatAll(t0().plus(Duration.ofMinutes(6)));
        RolloutDecision d = RolloutPlanner.plan(
                RolloutInput.of(t0().plus(Duration.ofMinutes(6)), RolloutSettings.defaults(4), f.state()));
        assertThat(d.progress().state()).isEqualTo(State.HALTED);
        assertThat(d.progress().detail()).startsWith("c-shards-0 (shard 0) not Ready");
    }

    // ---- no double restart, whatever the operator saw before ----

    /**
     * A new operator (failover) sees only the cluster. Mid-rollout: pods 0-3 replaced and Ready, 4-5 deleted and not
     * yet recreated, 6 terminating, 7 recreated and starting. It deletes nothing: the step is in flight. After it
     * settles it continues with 8-11, never touching a pod on the target revision.
     */
    @Test
    void aFreshOperatorContinuesWithoutRestartingAnyPodTwice() {
        Fleet f = fleet16("old");
        f.target = "new";
        Instant t = t0();
        for (int o = 0; o < 4; o++) {
            f.recordRestart(o, RestartReason.ROLLOUT, t.minusSeconds(30));
            f.recreate(o, t.minusSeconds(29));
            f.ready(o, t.minusSeconds(26));
        }
        for (int o = 4; o < 8; o++) {
            f.recordRestart(o, RestartReason.ROLLOUT, t.minusSeconds(2));
        }
        f.pods.remove(4);
        f.pods.remove(5);
        PodState six = f.pods.get(6);
        f.pods.put(6, new PodState(six.name(), six.uid(), 6, "old", six.createdAt(), true, true, null, "x"));
        f.recreate(7, t.minusSeconds(1));

        RolloutSettings settings = RolloutSettings.defaults(4);
        RolloutDecision d = RolloutPlanner.plan(RolloutInput.of(t, settings, f.state()));
        assertThat(d.restarts()).isEmpty();
        assertThat(d.progress().state()).isEqualTo(State.WAITING_FOR_READY);
        assertThat(d.progress().step()).isEqualTo(2);

        for (int o = 4; o < 8; o++) {
            f.recreate(o, t.plusSeconds(1));
            f.ready(o, t.plusSeconds(4));
        }
        RolloutDecision next = RolloutPlanner.plan(RolloutInput.of(t.plusSeconds(30), settings, f.state()));
        assertThat(deleted(next)).isEqualTo(pods(8, 9, 10, 11));
    }

    @Test
    void podsOnTheTargetRevisionAreNeverDeletedByTheRollout() {
        var random = new Random(42);
        for (int round = 0; round < 500; round++) {
            Fleet f = fleet16("old");
            f.target = "new";
            for (int o = 0; o < 16; o++) {
                switch (random.nextInt(5)) {
                    case 0 -> f.recreate(o, t0().minusSeconds(random.nextInt(600)));
                    case 1 -> {
                        f.recreate(o, t0().minusSeconds(random.nextInt(600)));
                        f.ready(o, t0().minusSeconds(random.nextInt(60)));
                    }
                    case 2 -> f.pods.remove(o);
                    case 3 -> f.phase(o, ShardPhase.Resuming);
                    default -> {}
                }
            }
            RolloutDecision d = RolloutPlanner.plan(
                    RolloutInput.of(t0(), RolloutSettings.defaults(1 << random.nextInt(5)), f.state()));
            assertThat(d.restarts())
                    .allSatisfy(r -> assertThat(r.pod().templateHash()).isEqualTo("old"));
        }
    }

    // ---- manual restart ----

    @Test
    void restartAtRestartsPodsCreatedBeforeItOnce() {
        Fleet f = fleet16("same");
        Instant at = t0().minusSeconds(10);
        RolloutSettings settings = RolloutSettings.defaults(16).withRestartAt(at);
        RolloutDecision d = RolloutPlanner.plan(RolloutInput.of(t0(), settings, f.state()));
        assertThat(d.restarts())
                .hasSize(16)
                .allSatisfy(r -> assertThat(r.reason()).isEqualTo(RestartReason.MANUAL_RESTART));

        // replacements are newer than restart-at: nothing more to do
        for (int o = 0; o < 16; o++) {
            f.recordRestart(o, RestartReason.MANUAL_RESTART, t0());
            f.recreate(o, t0().plusSeconds(1));
            f.ready(o, t0().plusSeconds(3));
        }
        RolloutDecision after = RolloutPlanner.plan(RolloutInput.of(t0().plusSeconds(60), settings, f.state()));
        assertThat(after.restarts()).isEmpty();
        assertThat(after.progress().state()).isEqualTo(State.COMPLETE);
    }

    @Test
    void aFutureRestartAtWaits() {
        Fleet f = fleet16("same");
        RolloutSettings settings = RolloutSettings.defaults(16).withRestartAt(t0().plusSeconds(90));
        RolloutDecision d = RolloutPlanner.plan(RolloutInput.of(t0(), settings, f.state()));
        assertThat(d.restarts()).isEmpty();
        assertThat(d.progress().state()).isEqualTo(State.COMPLETE);
        assertThat(d.recheckAfter()).contains(Duration.ofSeconds(90));
    }

    // ---- respawns ----

    @Test
    void crashLoopingPodIsRespawned() {
        Fleet f = fleet16("v1");
        f.dead(5, "in CrashLoopBackOff");
        RolloutDecision d = RolloutPlanner.plan(RolloutInput.of(t0(), RolloutSettings.defaults(1), f.state()));
        assertThat(d.restarts()).singleElement().satisfies(r -> {
            assertThat(r.pod().name()).isEqualTo("c-shards-5");
            assertThat(r.reason()).isEqualTo(RestartReason.CRASH_LOOP);
            assertThat(r.shards()).containsExactly("c-5");
            assertThat(r.detail()).isEqualTo("pod c-shards-5 is in CrashLoopBackOff");
        });
        assertThat(d.progress().state()).isEqualTo(State.COMPLETE);
    }

    @Test
    void zombieGatewayIsRespawnedAfterHeartbeatTimeout() {
        Fleet f = fleet16("v1");
        Instant now = t0();
        for (int o = 0; o < 16; o++) {
            f.heartbeat(o, now.minusSeconds(10));
        }
        f.heartbeat(7, now.minusSeconds(91)); // heartbeatTimeout 90s
        RolloutDecision d = RolloutPlanner.plan(RolloutInput.of(now, RolloutSettings.defaults(1), f.state()));
        assertThat(d.restarts()).singleElement().satisfies(r -> {
            assertThat(r.pod().name()).isEqualTo("c-shards-7");
            assertThat(r.reason()).isEqualTo(RestartReason.ZOMBIE);
        });
        // everyone else: look again when the oldest heartbeat turns 90 s
        assertThat(d.recheckAfter()).contains(Duration.ofSeconds(80));
    }

    @Test
    void heartbeatsMissedWhileTheOperatorCouldNotObserveAreNotHeldAgainstAShard() {
        // the API server was down for two minutes: no bot could write its heartbeat, and the operator's observation
        // restarted 30 s ago (a new leader, or the first reconcile after a lost contact)
        Fleet f = fleet16("v1");
        Instant now = t0();
        for (int o = 0; o < 16; o++) {
            f.heartbeat(o, now.minusSeconds(150));
        }
        Instant observingSince = now.minusSeconds(30);
        RolloutDecision d = RolloutPlanner.plan(new RolloutInput(
                now,
                observingSince,
                RolloutSettings.defaults(1),
                List.of(f.state()),
                Set.of(f.state().generation())));
        assertThat(d.restarts()).isEmpty();
        // a full heartbeatTimeout from the start of the observation: then a still-silent shard is a zombie
        assertThat(d.recheckAfter()).contains(Duration.ofSeconds(60));
        RolloutDecision later = RolloutPlanner.plan(new RolloutInput(
                observingSince.plusSeconds(90),
                observingSince,
                RolloutSettings.defaults(1),
                List.of(f.state()),
                Set.of(f.state().generation())));
        assertThat(later.restarts())
                .hasSize(16)
                .allSatisfy(r -> assertThat(r.reason()).isEqualTo(RestartReason.ZOMBIE));
    }

    @Test
    void aNewPodGetsAFullHeartbeatTimeoutEvenWithItsPredecessorsStaleHeartbeat() {
        Fleet f = fleet16("v1");
        f.recreate(3, t0().minusSeconds(30)); // old Ready status, heartbeat from a day ago
        RolloutDecision d = RolloutPlanner.plan(RolloutInput.of(t0(), RolloutSettings.defaults(1), f.state()));
        assertThat(d.restarts()).isEmpty();
    }

    @Test
    void respawnsStopAtTheHourlyCapAndResumeWhenTheOldestIsAnHourOld() {
        Fleet f = fleet16("v1");
        Instant now = t0();
        RolloutSettings settings = RolloutSettings.defaults(1).withMaxRestartsPerHour(3);
        for (int i = 3; i >= 1; i--) {
            f.recordRestart(2, RestartReason.CRASH_LOOP, now.minus(Duration.ofMinutes(10L * i)));
        }
        f.recordRestart(2, RestartReason.CRASH_LOOP, now.minus(Duration.ofMinutes(70))); // outside the hour
        f.recreate(2, now.minusSeconds(5));
        f.dead(2, "in CrashLoopBackOff");

        RolloutDecision d = RolloutPlanner.plan(RolloutInput.of(now, settings, f.state()));
        assertThat(d.restarts()).isEmpty();
        assertThat(d.refusedRespawns()).singleElement().satisfies(r -> {
            assertThat(r.shard()).isEqualTo("c-2");
            assertThat(r.refusal()).isEqualTo(Refusal.RESTART_CAP_REACHED);
            assertThat(r.refusal().reason()).isEqualTo("RestartCapReached");
            assertThat(r.message())
                    .contains(
                            "pod c-shards-2 is in CrashLoopBackOff",
                            "respawned 3 times in the last hour",
                            "(rollout.maxRestartsPerHour 3)",
                            "marked Failed",
                            "respawns resume at 2025-06-01T12:30:00Z");
        });
        // the oldest of the three (11:30) is an hour old at 12:30 (heartbeat checks may come sooner)
        assertThat(d.recheckAfter()).hasValueSatisfying(r -> assertThat(r).isLessThanOrEqualTo(Duration.ofMinutes(30)));
        f.heartbeatAll(now.plus(Duration.ofMinutes(30)));
        RolloutDecision later =
                RolloutPlanner.plan(RolloutInput.of(now.plus(Duration.ofMinutes(30)), settings, f.state()));
        assertThat(later.refusedRespawns()).isEmpty();
        assertThat(later.restarts())
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo(RestartReason.CRASH_LOOP));
    }

    @Test
    void zeroRestartsPerHourNeverRespawns() {
        Fleet f = fleet16("v1");
        f.dead(0, "Failed");
        RolloutDecision d = RolloutPlanner.plan(
                RolloutInput.of(t0(), RolloutSettings.defaults(1).withMaxRestartsPerHour(0), f.state()));
        assertThat(d.restarts()).isEmpty();
        assertThat(d.refusedRespawns())
                .singleElement()
                .satisfies(r -> assertThat(r.message()).contains("respawns resume never"));
    }

    @Test
    void respawnsRespectTheIdentifyBudget() {
        Fleet f = fleet16("v1");
        f.dead(0, "Failed");
        f.dead(1, "Failed");
        RolloutDecision d = RolloutPlanner.plan(
                RolloutInput.of(t0(), RolloutSettings.defaults(1).withIdentify(17, 16), f.state()));
        assertThat(d.restarts())
                .singleElement()
                .satisfies(r -> assertThat(r.pod().name()).isEqualTo("c-shards-0"));
        assertThat(d.refusedRespawns()).singleElement().satisfies(r -> {
            assertThat(r.shard()).isEqualTo("c-1");
            assertThat(r.refusal()).isEqualTo(Refusal.IDENTIFY_BUDGET_LOW);
        });
    }

    @Test
    void terminatingPodsAreLeftAlone() {
        Fleet f = fleet16("v1");
        PodState p = f.pods.get(4);
        f.pods.put(4, new PodState(p.name(), p.uid(), 4, "v1", p.createdAt(), true, true, "Failed", "x"));
        assertThat(RolloutPlanner.plan(RolloutInput.of(t0(), RolloutSettings.defaults(1), f.state()))
                        .restarts())
                .isEmpty();
    }
}
