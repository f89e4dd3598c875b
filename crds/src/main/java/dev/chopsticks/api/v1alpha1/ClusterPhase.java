package dev.chopsticks.api.v1alpha1;

/** Summary phase of a ChopsticksCluster. */
public enum ClusterPhase {
    Pending,
    Progressing,
    Ready,
    Degraded
}
