package dev.chopsticks.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RolloutExecutorTest {

    @Test
    void aStepsPodsAreRestartedAtOnceAndTheResultsKeepTheirOrder() {
        List<Integer> pods = List.of(0, 1, 2, 3);
        CountDownLatch allStarted = new CountDownLatch(pods.size());
        // each action waits until every action has started: true only if they all run at the same time
        List<String> results = RolloutExecutor.inParallel(pods, i -> {
            allStarted.countDown();
            try {
                return i + ":" + allStarted.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(results).containsExactly("0:true", "1:true", "2:true", "3:true");
    }

    @Test
    void aFailedRestartIsRethrownAsIs() {
        IllegalArgumentException boom = new IllegalArgumentException("HTTP 500");
        assertThatThrownBy(() -> RolloutExecutor.inParallel(List.of(1, 2, 3), i -> {
                    if (i == 2) {
                        throw boom;
                    }
                    return i;
                }))
                .isSameAs(boom);
    }
}
