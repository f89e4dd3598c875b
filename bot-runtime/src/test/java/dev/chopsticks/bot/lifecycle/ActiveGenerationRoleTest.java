package dev.chopsticks.bot.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the generation ConfigMap means for a pod's sessions (the watch itself: ActiveGenerationIT). */
class ActiveGenerationRoleTest {
    private static ConfigMap cm(Map<String, String> data) {
        return new ConfigMapBuilder().withData(data).build();
    }

    @Test
    void theSwitchOfAHandOffMakesTheOldGenerationHandOverAndTheNewOneActive() {
        ActiveGeneration one = new ActiveGeneration(1);
        ActiveGeneration two = new ActiveGeneration(2);
        AtomicInteger changes = new AtomicInteger();
        one.onChange(changes::incrementAndGet);
        one.update(cm(Map.of(ActiveGeneration.KEY, "1")));
        two.update(cm(Map.of(ActiveGeneration.KEY, "1")));
        assertThat(one.active()).isTrue();
        assertThat(two.active()).isFalse();
        assertThat(two.retiring()).as("a standby successor is not retiring").isFalse();
        assertThat(changes).hasValue(0);

        Map<String, String> switched = Map.of(ActiveGeneration.KEY, "2", ActiveGeneration.SESSIONS_FROM, "1");
        one.update(cm(switched));
        two.update(cm(switched));
        assertThat(one.active()).isFalse();
        assertThat(one.retiring()).isTrue();
        assertThat(one.handsOver()).isTrue();
        assertThat(two.active()).isTrue();
        assertThat(two.handsOver()).isFalse();
        assertThat(changes).hasValue(1);

        // the operator drops the key in the next reconcile: what was handed over stays handed over
        one.update(cm(Map.of(ActiveGeneration.KEY, "2")));
        assertThat(one.handsOver()).isTrue();
        assertThat(changes).hasValue(1);
    }

    @Test
    void aReshardSwitchRetiresTheOldGenerationWithoutAHandOver() {
        ActiveGeneration one = new ActiveGeneration(1);
        one.update(cm(Map.of(ActiveGeneration.KEY, "2")));
        assertThat(one.retiring()).isTrue();
        assertThat(one.handsOver()).isFalse();
        one.update(cm(Map.of(ActiveGeneration.KEY, "1")));
        assertThat(one.active()).isTrue();
        assertThat(one.retiring()).isFalse();
    }
}
