package dev.chopsticks.podrunner;

import java.time.Instant;

/**
 * What the Pod's container status should say about our process: the subset of {@code containerStatuses[]} the
 * runner owns.
 *
 * @param runningSince start of the running process, or null when it is not running
 * @param waitingReason why no process runs (CrashLoopBackOff, CreateContainerConfigError), or null
 * @param lastExit the previous process's end, or null
 */
record ContainerView(
        String containerName,
        int restartCount,
        Instant runningSince,
        String waitingReason,
        String waitingMessage,
        LastExit lastExit,
        boolean ready) {

    /** A terminated process: {@code lastState.terminated}. */
    record LastExit(int exitCode, Instant startedAt, Instant finishedAt) {}
}
