package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the runner does for one Pod name, one step at a time: a StatefulSet reuses the name for each new
 * incarnation (UID), and like a kubelet we stop the old process before the new one starts. Informer events and
 * timers only record what they saw and {@link #trigger()} a reconcile; reconciles run one at a time per slot and
 * compare the latest observed Pod with the running process.
 */
final class PodSlot {
    private static final Logger LOG = LoggerFactory.getLogger(PodSlot.class);
    /** Our name in {@link PodClaims#RUN_BY}. */
    static final String ACTOR = "pod-runner";

    private final String name;
    private final RunnerContext ctx;
    private final ReadinessPoller readiness;
    private final CredentialsKeeper credentials;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    /** The latest Pod seen under this name; null once deleted. */
    private volatile Pod desired;

    private volatile boolean closing;
    /** Guarded by {@link #lock}. */
    private Incarnation current;
    /** Guarded by {@link #lock}: the UID last reported as having no runnable container (logged once). */
    private String skippedUid;

    PodSlot(String name, RunnerContext ctx) {
        this.name = name;
        this.ctx = ctx;
        this.readiness = new ReadinessPoller(ctx, this::trigger);
        this.credentials = new CredentialsKeeper(ctx.tokens(), this::triggerIn);
    }

    /** The informer saw this Pod (added or updated). */
    void observe(Pod pod) {
        desired = pod;
        trigger();
    }

    /** The informer saw this Pod deleted; a newer incarnation already observed is kept. */
    void deleted(Pod pod) {
        Pod now = desired;
        if (now != null && Objects.equals(uid(now), uid(pod))) {
            desired = null;
        }
        trigger();
    }

    void trigger() {
        if (queued.compareAndSet(false, true)) {
            try {
                ctx.workers().execute(this::drain);
            } catch (RejectedExecutionException e) {
                // The runner has closed: a late process-exit callback or timer has nothing left to do.
                queued.set(false);
            }
        }
    }

    private void triggerIn(Duration delay) {
        try {
            // nanoseconds, not milliseconds: a truncated delay fires before the attempt is due, and nothing would retry
            ctx.timers().schedule(this::trigger, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Closed: see trigger().
        }
    }

    /** Stops the process (grace capped by the config), releases the Pod; blocks until done. */
    void close() {
        closing = true;
        lock.lock();
        try {
            reconcile();
        } finally {
            lock.unlock();
        }
    }

    private void drain() {
        lock.lock();
        try {
            while (queued.getAndSet(false)) {
                try {
                    reconcile();
                } catch (RuntimeException e) {
                    // One bad step (API hiccup) must not end the slot: try again shortly.
                    LOG.warn("reconcile of pod {} failed; retrying", name, e);
                    triggerIn(Duration.ofSeconds(1));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void reconcile() {
        Pod pod = desired;
        Incarnation inc = current;
        if (inc != null && pod != null && uid(pod).equals(inc.id.uid())) {
            inc.lastSeen = pod;
            Long requested = pod.getMetadata().getDeletionGracePeriodSeconds();
            if (inc.requestedGraceSeconds == null && terminating(pod) && requested != null) {
                inc.requestedGraceSeconds = requested;
            }
        }
        if (inc != null && (closing || pod == null || !uid(pod).equals(inc.id.uid()) || terminating(pod))) {
            stop(inc);
            current = null;
            inc = null;
        }
        if (closing || pod == null || pod.getSpec().getNodeName() == null) {
            return;
        }
        if (terminating(pod)) {
            // A Pod we held but never ran a process for (e.g. the runner restarted): nothing to wait for.
            if (ctx.config().holdTermination() && TerminationHold.holds(pod)) {
                ctx.hold().release(PodId.of(pod));
            }
            return;
        }
        if (inc == null) {
            inc = newIncarnation(pod);
            if (inc == null) {
                return;
            }
            // Tells kwok that a process plays this Pod, so it shows it Running (else it stays Pending, NoProcess);
            // with the bridge we write Ready ourselves. False: gone or replaced, its informer event follows.
            var claim = PodClaims.running(ACTOR, ctx.config().readinessBridge());
            if (!PodClaims.has(pod, claim) && !PodClaims.annotate(ctx.client(), inc.id, claim)) {
                return;
            }
            current = inc;
        }
        step(inc);
        if (inc.statusDirty && inc.state != ProcessState.EXITED) {
            writeStatus(inc);
        }
        ctx.board().put(inc.info());
    }

    private Incarnation newIncarnation(Pod pod) {
        Optional<Map.Entry<Container, ImageCommand>> target = ctx.planner().containerToRun(pod);
        if (target.isEmpty()) {
            if (!uid(pod).equals(skippedUid)) {
                skippedUid = uid(pod);
                LOG.warn(
                        "pod {}: no --image-command rule matches its images {}; not running it",
                        name,
                        pod.getSpec().getContainers().stream()
                                .map(Container::getImage)
                                .toList());
            }
            return null;
        }
        PodRunnerConfig config = ctx.config();
        return new Incarnation(
                pod,
                target.get().getKey(),
                target.get().getValue(),
                ctx.ports().portFor(name),
                new Backoff(config.restartBackoffInitial(), config.restartBackoffMax()),
                LaunchPlanner.logFileOf(config, PodId.of(pod)));
    }

    /** Moves the incarnation one step on: notice an exit, start or restart when due. */
    private void step(Incarnation inc) {
        if (inc.running() && !inc.process.isAlive()) {
            exited(inc);
        }
        if (inc.state != ProcessState.EXITED) {
            credentials.renewIfDue(inc);
        }
        boolean due = !Instant.now().isBefore(inc.nextAttemptAt);
        if ((inc.state == ProcessState.WAITING_CONFIG || inc.state == ProcessState.BACKOFF) && due) {
            launch(inc);
        }
        if (inc.readinessChanged) {
            inc.readinessChanged = false;
            inc.statusDirty |= ctx.config().readinessBridge();
        }
    }

    private void launch(Incarnation inc) {
        LaunchSpec spec;
        try {
            // The kubelet mounts the token volume before it builds the container's environment: same order here.
            spec = ctx.planner().plan(inc.lastSeen, inc.container, inc.rule, inc.port, credentials.toStart(inc));
        } catch (MissingReferenceException e) {
            waitForConfig(inc, e.getMessage());
            return;
        } catch (RuntimeException e) {
            waitForConfig(inc, "cannot build the environment: " + e.getMessage());
            return;
        }
        if (ctx.config().holdTermination() && !inc.held) {
            if (!ctx.hold().add(inc.id)) {
                // Usually the Pod is gone or terminating (its informer event follows); else an API error: try again.
                LOG.info("pod {}: could not add the termination finalizer; not starting its process yet", inc.id);
                inc.nextAttemptAt = Instant.now().plusSeconds(1);
                triggerIn(Duration.ofSeconds(1));
                return;
            }
            inc.held = true;
        }
        if (ctx.startPacer().enabled()) {
            if (inc.startSlot == null) {
                inc.startSlot = ctx.startPacer().reserve();
            }
            Duration wait = Duration.between(Instant.now(), inc.startSlot);
            if (wait.isPositive()) {
                inc.nextAttemptAt = inc.startSlot;
                triggerIn(wait);
                return;
            }
            inc.startSlot = null;
        }
        try {
            inc.process = LocalProcess.start(
                    spec,
                    inc.starts + 1,
                    spec.readinessPath() == null ? 0 : ctx.config().startNice());
            inc.reniced = false;
        } catch (IOException e) {
            // Like the kubelet's RunContainerError: no container ran, so no restart is counted.
            LOG.warn("pod {}: could not start {}: {}", inc.id, spec.argv(), e.toString());
            ctx.events().warning(inc.id, "Failed", "Error: " + e.getMessage());
            backOff(inc, Duration.ZERO, "StartError", e.getMessage());
            return;
        }
        inc.starts++;
        inc.state = ProcessState.RUNNING;
        inc.lastConfigError = null;
        inc.readinessFailures = 0;
        inc.statusDirty = ctx.config().recordRestarts() || ctx.config().readinessBridge();
        // An exit wakes the slot up; the reconcile that follows sees the process dead and handles it.
        inc.process.process().onExit().thenRun(this::trigger);
        LOG.info(
                "pod {}: started pid {} on port {} (start #{}, log {})",
                inc.id,
                inc.process.pid(),
                inc.port,
                inc.starts,
                spec.logFile());
        if (inc.starts > 1) {
            ctx.events()
                    .normal(
                            inc.id,
                            "Started",
                            "Restarted container " + inc.container.getName() + " (restart " + inc.restarts() + ")");
        }
        readiness.start(inc, spec);
    }

    private void waitForConfig(Incarnation inc, String message) {
        Duration delay = inc.backoff.next(Duration.ZERO);
        inc.state = ProcessState.WAITING_CONFIG;
        inc.waitingReason = "CreateContainerConfigError";
        inc.waitingMessage = message;
        inc.nextAttemptAt = Instant.now().plus(delay);
        inc.statusDirty = ctx.config().recordRestarts();
        if (!message.equals(inc.lastConfigError)) {
            inc.lastConfigError = message;
            LOG.error("pod {}: process not started: {} (retrying with back-off)", inc.id, message);
            ctx.events().warning(inc.id, "Failed", "Error: " + message);
        }
        triggerIn(delay);
    }

    private void exited(Incarnation inc) {
        LocalProcess process = inc.process;
        // The container's other processes die with its main process.
        process.killRest();
        Instant finished = Instant.now();
        int code = process.exitCode();
        inc.lastExit = new ContainerView.LastExit(code, process.startedAt(), finished);
        inc.ready = false;
        ReadinessPoller.stop(inc);
        String policy = Objects.requireNonNullElse(inc.lastSeen.getSpec().getRestartPolicy(), "Always");
        boolean restart = policy.equals("Always") || (policy.equals("OnFailure") && code != 0);
        if (!restart) {
            LOG.info(
                    "pod {}: pid {} exited with code {}; restartPolicy {}: not restarting",
                    inc.id,
                    process.pid(),
                    code,
                    policy);
            inc.state = ProcessState.EXITED;
            inc.waitingReason = null;
            // The exit code goes to kwok, which marks the Pod Succeeded or Failed (a Job counts it) and writes the
            // terminated container; a status write of ours would race it.
            inc.statusDirty = false;
            String message = "exited with code " + code + " (pid " + process.pid() + ", run by " + ACTOR + ")";
            try {
                PodClaims.annotate(ctx.client(), inc.id, PodClaims.exited(ACTOR, code, message));
            } catch (KubernetesClientException e) {
                // Nothing retries this: the Pod stays Running, which the log line explains.
                LOG.warn("pod {}: could not report exit code {}: {}", inc.id, code, e.getMessage());
            }
            return;
        }
        Duration ran = Duration.between(process.startedAt(), finished);
        backOff(inc, ran, "CrashLoopBackOff", "back-off restarting failed container " + inc.container.getName());
        LOG.warn(
                "pod {}: pid {} exited with code {} after {}; restarting in {}",
                inc.id,
                process.pid(),
                code,
                ran,
                Duration.between(finished, inc.nextAttemptAt));
    }

    private void backOff(Incarnation inc, Duration ran, String reason, String message) {
        Duration delay = inc.backoff.next(ran);
        inc.state = ProcessState.BACKOFF;
        inc.waitingReason = reason;
        inc.waitingMessage = message;
        inc.nextAttemptAt = Instant.now().plus(delay);
        inc.statusDirty = ctx.config().recordRestarts() || ctx.config().readinessBridge();
        triggerIn(delay);
    }

    /** SIGTERM, the Pod's grace period (capped when the runner closes), SIGKILL; then forget the incarnation. */
    private void stop(Incarnation inc) {
        ReadinessPoller.stop(inc);
        if (inc.process != null && inc.process.isAlive()) {
            long graceSeconds = inc.graceSeconds();
            Duration grace = Duration.ofSeconds(graceSeconds);
            if (closing && grace.compareTo(ctx.config().shutdownGraceCap()) > 0) {
                grace = ctx.config().shutdownGraceCap();
            }
            inc.state = ProcessState.STOPPING;
            ctx.board().put(inc.info());
            LOG.info("pod {}: SIGTERM to pid {} (grace {})", inc.id, inc.process.pid(), grace);
            boolean graceful = inc.process.stop(grace);
            LOG.info(
                    "pod {}: pid {} {} with code {}",
                    inc.id,
                    inc.process.pid(),
                    graceful ? "exited" : "killed",
                    inc.process.exitCode());
        } else if (inc.process != null) {
            inc.process.killRest();
        }
        credentials.release(inc);
        if (inc.held) {
            ctx.hold().release(inc.id);
        }
        ctx.board().remove(inc.id);
    }

    private void writeStatus(Incarnation inc) {
        var result = ctx.statusWriter().write(inc.id, inc.view(), ctx.config().readinessBridge());
        // NOT_YET: kwok has not made the Pod Running; its update will trigger us again.
        inc.statusDirty = result == PodStatusWriter.Result.NOT_YET;
    }

    private static boolean terminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    private static String uid(Pod pod) {
        return pod.getMetadata().getUid();
    }
}
