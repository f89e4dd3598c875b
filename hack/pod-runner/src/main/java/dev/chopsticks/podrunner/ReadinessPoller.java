package dev.chopsticks.podrunner;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readiness probe of one slot's processes, as the kubelet runs it: no probe means ready while running, else the
 * probe's path is polled, bridge or not ({@link ProcessInfo#ready()} is what tests read). A changed verdict wakes the
 * slot up through {@code onChange}.
 */
final class ReadinessPoller {
    private static final Logger LOG = LoggerFactory.getLogger(ReadinessPoller.class);

    private final RunnerContext ctx;
    private final Runnable onChange;

    ReadinessPoller(RunnerContext ctx, Runnable onChange) {
        this.ctx = ctx;
        this.onChange = onChange;
    }

    /** Starts polling the process {@code inc} has just started from {@code spec}. */
    void start(Incarnation inc, LaunchSpec spec) {
        inc.ready = spec.readinessPath() == null;
        inc.readinessChanged = true;
        if (spec.readinessPath() == null) {
            return;
        }
        String path = spec.readinessPath();
        int threshold = spec.readinessFailureThreshold();
        LocalProcess process = inc.process;
        AtomicBoolean probing = new AtomicBoolean();
        long period = ctx.config().readinessPeriod().toMillis();
        inc.readinessPoll = ctx.timers()
                .scheduleWithFixedDelay(
                        () -> {
                            // The HTTP call runs off the timer thread; a slow probe skips a beat instead of piling up.
                            if (probing.compareAndSet(false, true)) {
                                ctx.workers().execute(() -> {
                                    try {
                                        probe(inc, process, path, threshold);
                                    } finally {
                                        probing.set(false);
                                    }
                                });
                            }
                        },
                        0,
                        period,
                        TimeUnit.MILLISECONDS);
    }

    static void stop(Incarnation inc) {
        if (inc.readinessPoll != null) {
            inc.readinessPoll.cancel(false);
            inc.readinessPoll = null;
        }
    }

    /** Runs on a worker, never concurrently for one process; hands the verdict to the slot. */
    private void probe(Incarnation inc, LocalProcess process, String path, int threshold) {
        if (!process.isAlive()) {
            return;
        }
        boolean ok = ctx.readinessCheck().ready(inc.port, path);
        boolean before = inc.ready;
        if (ok) {
            inc.readinessFailures = 0;
            inc.ready = true;
            if (ctx.config().startNice() > 0 && !inc.reniced) {
                inc.reniced = true;
                if (!process.reniceToDefault()) {
                    LOG.warn("pod {}: could not set niceness 0 after readiness (needs root or CAP_SYS_NICE)", inc.id);
                }
            }
        } else if (++inc.readinessFailures >= threshold) {
            inc.ready = false;
        }
        if (inc.ready != before) {
            // Start cost on a shared machine: wall time and the CPU the process burnt getting there
            LOG.info("pod {}: {}", inc.id, inc.ready ? "ready " + startCost(process) : "not ready");
            inc.readinessChanged = true;
            onChange.run();
        }
    }

    private static String startCost(LocalProcess process) {
        Duration wall = Duration.between(process.startedAt(), Instant.now());
        return process.cpuTime()
                .map(cpu -> String.format("(%d ms after start, %d ms CPU)", wall.toMillis(), cpu.toMillis()))
                .orElseGet(() -> String.format("(%d ms after start)", wall.toMillis()));
    }
}
