package dev.chopsticks.podrunner;

/** Where the process of a Pod incarnation stands. */
public enum ProcessState {
    /** The process runs. */
    RUNNING,
    /** It exited and restarts after the back-off delay (the kubelet's CrashLoopBackOff). */
    BACKOFF,
    /** A required Secret/ConfigMap (key) is missing; retried with back-off (the kubelet's CreateContainerConfigError). */
    WAITING_CONFIG,
    /** SIGTERM sent; waiting for it to exit (SIGKILL after the grace period). */
    STOPPING,
    /** It exited and the Pod's restartPolicy says not to restart it. */
    EXITED
}
