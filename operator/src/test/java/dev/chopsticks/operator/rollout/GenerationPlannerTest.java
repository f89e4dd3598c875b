package dev.chopsticks.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.operator.rollout.GenerationPlanner.Decision;
import dev.chopsticks.operator.rollout.GenerationPlanner.Layout;
import dev.chopsticks.operator.rollout.GenerationPlanner.Live;
import dev.chopsticks.operator.rollout.GenerationPlanner.Observed;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The resharding state machine, step by step: 16,000 guilds (8 shards) to 30,000 (15 shards). */
class GenerationPlannerTest {
    static final Layout EIGHT = new Layout(8, 1);
    static final Layout FIFTEEN = new Layout(15, 1);

    static Observed serving(int generation, Layout layout) {
        return new Observed(generation, layout, true, layout.shards());
    }

    static Observed starting(int generation, Layout layout, int ready) {
        return new Observed(generation, layout, ready == layout.shards(), ready);
    }

    @Test
    void aNewClusterGetsGenerationOne() {
        Decision d = GenerationPlanner.plan(List.of(), OptionalInt.empty(), EIGHT);
        assertThat(d.live()).containsExactly(new Live(1, EIGHT));
        assertThat(d.active()).isEqualTo(1);
        assertThat(d.pending()).isEmpty();
        assertThat(d.switched()).isFalse();
    }

    @Test
    void steadyStateKeepsTheActiveGeneration() {
        Decision d = GenerationPlanner.plan(List.of(serving(1, EIGHT)), OptionalInt.of(1), EIGHT);
        assertThat(d.live()).containsExactly(new Live(1, EIGHT));
        assertThat(d.retired()).isEmpty();
    }

    @Test
    void reshardRunsTheNewGenerationNextToTheOldUntilAllReadyThenSwitchesThenRetires() {
        // 1. the count changes: generation 2 starts next to generation 1, which stays active
        Decision start = GenerationPlanner.plan(List.of(serving(1, EIGHT)), OptionalInt.of(1), FIFTEEN);
        assertThat(start.live()).containsExactly(new Live(1, EIGHT), new Live(2, FIFTEEN));
        assertThat(start.active()).isEqualTo(1);
        assertThat(start.pending()).hasValue(2);
        assertThat(start.switched()).isFalse();

        // 2. 14 of 15 new shards Ready: still both, generation 1 active
        Decision partly = GenerationPlanner.plan(
                List.of(serving(1, EIGHT), starting(2, FIFTEEN, 14)), OptionalInt.of(1), FIFTEEN);
        assertThat(partly.live()).containsExactly(new Live(1, EIGHT), new Live(2, FIFTEEN));
        assertThat(partly.active()).isEqualTo(1);
        assertThat(partly.reason()).contains("14/15");

        // 3. all 15 Ready: generation 2 becomes active; generation 1 still exists (its bots must see the switch first)
        Decision switching =
                GenerationPlanner.plan(List.of(serving(1, EIGHT), serving(2, FIFTEEN)), OptionalInt.of(1), FIFTEEN);
        assertThat(switching.active()).isEqualTo(2);
        assertThat(switching.switched()).isTrue();
        assertThat(switching.live()).containsExactly(new Live(1, EIGHT), new Live(2, FIFTEEN));
        assertThat(switching.retired()).isEmpty();

        // 4. the ConfigMap says 2: generation 1 is retired
        Decision retire =
                GenerationPlanner.plan(List.of(serving(1, EIGHT), serving(2, FIFTEEN)), OptionalInt.of(2), FIFTEEN);
        assertThat(retire.live()).containsExactly(new Live(2, FIFTEEN));
        assertThat(retire.retired()).containsExactly(1);
        assertThat(retire.switched()).isFalse();

        // 5. done
        Decision done = GenerationPlanner.plan(List.of(serving(2, FIFTEEN)), OptionalInt.of(2), FIFTEEN);
        assertThat(done.live()).containsExactly(new Live(2, FIFTEEN));
        assertThat(done.pending()).isEmpty();
    }

    @Test
    void noSecondGenerationBeforeTheSwitchConfigMapExists() {
        Decision d = GenerationPlanner.plan(List.of(serving(1, EIGHT)), OptionalInt.empty(), FIFTEEN);
        assertThat(d.live()).containsExactly(new Live(1, EIGHT));
        assertThat(d.reason()).contains("waiting for the active-generation ConfigMap");
    }

    @Test
    void aGenerationWithoutAnyReadyShardIsReplacedAtOnce() {
        Decision d = GenerationPlanner.plan(List.of(starting(1, EIGHT, 0)), OptionalInt.of(1), FIFTEEN);
        assertThat(d.live()).containsExactly(new Live(1, EIGHT), new Live(2, FIFTEEN));
        assertThat(d.active()).isEqualTo(2);
        assertThat(d.switched()).isTrue();
        assertThat(d.reason()).contains("no Ready shard");
    }

    @Test
    void goingBackToTheActiveLayoutAbandonsThePendingGeneration() {
        Decision d =
                GenerationPlanner.plan(List.of(serving(1, EIGHT), starting(2, FIFTEEN, 3)), OptionalInt.of(1), EIGHT);
        assertThat(d.live()).containsExactly(new Live(1, EIGHT));
        assertThat(d.retired()).containsExactly(2);
        assertThat(d.active()).isEqualTo(1);
    }

    @Test
    void aLayoutChangeDuringAReshardUpdatesThePendingGenerationInPlace() {
        Layout twenty = new Layout(20, 1);
        Decision d = GenerationPlanner.plan(List.of(serving(1, EIGHT), serving(2, FIFTEEN)), OptionalInt.of(1), twenty);
        assertThat(d.live()).containsExactly(new Live(1, EIGHT), new Live(2, twenty));
        assertThat(d.active())
                .as("generation 2 is Ready but has the old layout")
                .isEqualTo(1);
    }

    @Test
    void shardsPerPodIsPartOfTheLayout() {
        Decision d = GenerationPlanner.plan(List.of(serving(1, EIGHT)), OptionalInt.of(1), new Layout(8, 2));
        assertThat(d.live()).containsExactly(new Live(1, EIGHT), new Live(2, new Layout(8, 2)));
    }

    @Test
    void anUnknownActiveGenerationMeansTheOldestAndStrayGenerationsAreRetired() {
        Decision d = GenerationPlanner.plan(
                List.of(serving(3, EIGHT), serving(4, FIFTEEN), starting(5, FIFTEEN, 0)), OptionalInt.of(9), FIFTEEN);
        assertThat(d.active()).isEqualTo(3);
        assertThat(d.live()).containsExactly(new Live(3, EIGHT), new Live(5, FIFTEEN));
        assertThat(d.retired()).containsExactly(4);
    }

    // ---- session hand-off: a template change of a serving generation, make-before-break ----

    static Observed outdated(int generation, Layout layout) {
        return new Observed(generation, layout, true, layout.shards(), false);
    }

    @Test
    void withoutHandOffATemplateChangeStaysInPlace() {
        Decision d = GenerationPlanner.plan(List.of(outdated(1, EIGHT)), OptionalInt.of(1), EIGHT, false);
        assertThat(d.live()).containsExactly(new Live(1, EIGHT));
        assertThat(d.pinned()).isEmpty();
    }

    @Test
    void withHandOffATemplateChangeStartsAWarmSuccessorWhileThePinnedGenerationServes() {
        Decision d = GenerationPlanner.plan(List.of(outdated(1, EIGHT)), OptionalInt.of(1), EIGHT, true);
        assertThat(d.live()).containsExactly(new Live(1, EIGHT), new Live(2, EIGHT));
        assertThat(d.active()).isEqualTo(1);
        assertThat(d.pending()).hasValue(2);
        assertThat(d.pinned()).as("generation 1 keeps its template").hasValue(1);
        assertThat(d.sessionsFrom()).isEmpty();
        assertThat(d.handingOver()).isTrue();
    }

    @Test
    void theSuccessorTakesOverOnceEveryShardIsWarmAndNamesWhoseSessionsItResumes() {
        Decision waiting = GenerationPlanner.plan(
                List.of(outdated(1, EIGHT), new Observed(2, EIGHT, false, 0, true)), OptionalInt.of(1), EIGHT, true);
        assertThat(waiting.active()).isEqualTo(1);
        assertThat(waiting.reason()).contains("warming up");

        Decision switched = GenerationPlanner.plan(
                List.of(outdated(1, EIGHT), new Observed(2, EIGHT, true, 0, true)), OptionalInt.of(1), EIGHT, true);
        assertThat(switched.active()).isEqualTo(2);
        assertThat(switched.switched()).isTrue();
        assertThat(switched.sessionsFrom()).hasValue(1);
        assertThat(switched.pinned()).hasValue(1);
        assertThat(switched.reason()).contains("resume the sessions of generation 1");

        Decision after =
                GenerationPlanner.plan(List.of(outdated(1, EIGHT), serving(2, EIGHT)), OptionalInt.of(2), EIGHT, true);
        assertThat(after.live()).containsExactly(new Live(2, EIGHT));
        assertThat(after.retired()).containsExactly(1);
        assertThat(after.sessionsFrom()).isEmpty();
    }

    @Test
    void aGenerationServingNothingIsUpdatedInPlaceRatherThanHandedOver() {
        Decision d = GenerationPlanner.plan(
                List.of(new Observed(1, EIGHT, false, 0, false)), OptionalInt.of(1), EIGHT, true);
        assertThat(d.live()).containsExactly(new Live(1, EIGHT));
        assertThat(d.pinned()).isEmpty();
    }

    @Test
    void aTemplateChangeRevertedDuringTheHandOffAbandonsTheSuccessor() {
        Decision d = GenerationPlanner.plan(
                List.of(serving(1, EIGHT), new Observed(2, EIGHT, false, 0, true)), OptionalInt.of(1), EIGHT, true);
        assertThat(d.live()).containsExactly(new Live(1, EIGHT));
        assertThat(d.retired()).containsExactly(2);
        assertThat(d.pinned()).isEmpty();
    }

    @Test
    void aReshardIsNotAHandOff() {
        Decision d = GenerationPlanner.plan(List.of(outdated(1, EIGHT)), OptionalInt.of(1), FIFTEEN, true);
        assertThat(d.live()).containsExactly(new Live(1, EIGHT), new Live(2, FIFTEEN));
        assertThat(d.pinned()).isEmpty();
        Decision switched = GenerationPlanner.plan(
                List.of(outdated(1, EIGHT), serving(2, FIFTEEN)), OptionalInt.of(1), FIFTEEN, true);
        assertThat(switched.active()).isEqualTo(2);
        assertThat(switched.sessionsFrom()).isEmpty();
    }
}
