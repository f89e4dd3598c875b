package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * The runner's state for one Pod UID: its current process (if any) and what the kubelet would track for the
 * container. Mutable; only touched under its {@link PodSlot}'s lock (by the slot and the {@link CredentialsKeeper} it
 * calls), except the volatile readiness fields, which its {@link ReadinessPoller} writes.
 */
final class Incarnation {
    final PodId id;
    final Container container;
    final ImageCommand rule;
    final int port;
    final Backoff backoff;
    final Path logFile;

    Pod lastSeen;
    /** The grace period asked for when the Pod was first seen terminating; null until then. */
    Long requestedGraceSeconds;

    LocalProcess process;
    ProcessState state = ProcessState.WAITING_CONFIG;
    /** Process starts so far (the first one is not a restart). */
    int starts;

    Instant nextAttemptAt = Instant.MIN;
    /** The start time reserved with the runner's StartPacer for the next start, null when none is reserved. */
    Instant startSlot;

    ContainerView.LastExit lastExit;
    String waitingReason;
    String waitingMessage;
    String lastConfigError;
    /** What its processes authenticate with; null until the first start issued them (see ServiceAccountTokens). */
    PodCredentials credentials;

    boolean held;
    boolean statusDirty;
    ScheduledFuture<?> readinessPoll;
    /** Written by the readiness poller, read by the slot. */
    volatile boolean ready;
    /** Its niceness went back to 0 after the first passing readiness probe (see startNice). */
    volatile boolean reniced;

    volatile boolean readinessChanged;
    /** Only the readiness poller touches it (its probes never overlap). */
    volatile int readinessFailures;

    Incarnation(Pod pod, Container container, ImageCommand rule, int port, Backoff backoff, Path logFile) {
        this.id = PodId.of(pod);
        this.lastSeen = pod;
        this.container = container;
        this.rule = rule;
        this.port = port;
        this.backoff = backoff;
        this.logFile = logFile;
    }

    int restarts() {
        return Math.max(0, starts - 1);
    }

    boolean running() {
        return state == ProcessState.RUNNING && process != null;
    }

    /** The grace period of a deletion: the one asked for, else the Pod's terminationGracePeriodSeconds (30 s). */
    long graceSeconds() {
        if (requestedGraceSeconds != null && requestedGraceSeconds > 0) {
            return requestedGraceSeconds;
        }
        Long spec = lastSeen.getSpec().getTerminationGracePeriodSeconds();
        return spec != null ? spec : 30;
    }

    ProcessInfo info() {
        long pid = process != null && process.isAlive() ? process.pid() : -1;
        return new ProcessInfo(
                id,
                state,
                pid,
                port,
                process != null ? process.startedAt() : null,
                restarts(),
                ready,
                lastExit != null ? lastExit.exitCode() : null,
                logFile);
    }

    ContainerView view() {
        return new ContainerView(
                container.getName(),
                restarts(),
                running() ? process.startedAt() : null,
                running() ? null : waitingReason,
                running() ? null : waitingMessage,
                lastExit,
                running() && ready);
    }
}
