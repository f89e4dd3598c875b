package dev.chopsticks.podrunner;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodStatusWriterTest {
    /** A Pod as kwok's pod-ready stage leaves it. */
    private static Pod kwokRunningPod() {
        return new PodBuilder(TestPods.pod())
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .addNewCondition()
                .withType("ContainersReady")
                .withStatus("True")
                .endCondition()
                .addNewContainerStatus()
                .withName("bot")
                .withImage("chopsticks/bot-runtime:0.1.0")
                .withReady(true)
                .withRestartCount(0)
                .withNewState()
                .withNewRunning()
                .withStartedAt("2025-01-01T00:00:00Z")
                .endRunning()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
    }

    @Test
    void restartBumpsTheCountAndRecordsTheLastExitWithoutTouchingReadiness() {
        Pod pod = kwokRunningPod();
        Instant t = Instant.parse("2025-01-01T00:01:00.123Z");
        var view = new ContainerView(
                "bot", 2, t, null, null, new ContainerView.LastExit(137, t.minusSeconds(30), t.minusSeconds(1)), false);

        PodStatusWriter.apply(pod, view, false);

        ContainerStatus status = pod.getStatus().getContainerStatuses().getFirst();
        assertThat(status.getRestartCount()).isEqualTo(2);
        assertThat(status.getState().getRunning().getStartedAt()).isEqualTo("2025-01-01T00:01:00Z");
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(137);
        assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(status.getReady())
                .as("readiness is kwok's without the bridge")
                .isTrue();
        assertThat(condition(pod, "Ready").getStatus()).isEqualTo("True");
    }

    @Test
    void withTheBridgeANotReadyProcessMakesThePodNotReady() {
        Pod pod = kwokRunningPod();
        var view = new ContainerView("bot", 0, null, "CrashLoopBackOff", "back-off", null, false);

        PodStatusWriter.apply(pod, view, true);

        ContainerStatus status = pod.getStatus().getContainerStatuses().getFirst();
        assertThat(status.getReady()).isFalse();
        assertThat(status.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(condition(pod, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(pod, "ContainersReady").getStatus()).isEqualTo("False");
        assertThat(pod.getStatus().getConditions())
                .filteredOn(c -> c.getType().equals("Ready"))
                .hasSize(1);
    }

    private static PodCondition condition(Pod pod, String type) {
        return pod.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElseThrow();
    }
}
