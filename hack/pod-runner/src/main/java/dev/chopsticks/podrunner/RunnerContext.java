package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** The collaborators every {@link PodSlot} shares. */
record RunnerContext(
        KubernetesClient client,
        PodRunnerConfig config,
        LaunchPlanner planner,
        PodStatusWriter statusWriter,
        PodEvents events,
        TerminationHold hold,
        ProcessBoard board,
        LoopbackPorts ports,
        ReadinessCheck readinessCheck,
        ExecutorService workers,
        ScheduledExecutorService timers,
        StartPacer startPacer,
        ServiceAccountTokens tokens) {}
