package dev.chopsticks.e2e;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Makes one pod's bot die right after each start, long before it could identify: pod-runner restarts it with
 * back-off and reports CrashLoopBackOff, as the kubelet would for a bot that exits at start.
 */
final class CrashLoop implements AutoCloseable {
    private final RealBots bots;
    private final String pod;
    private final Set<Long> killed = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();

    CrashLoop(RealBots bots, String pod) {
        this.bots = bots;
        this.pod = pod;
    }

    CrashLoop start() {
        loop.scheduleWithFixedDelay(this::killIfRunning, 0, 20, TimeUnit.MILLISECONDS);
        return this;
    }

    private void killIfRunning() {
        bots.runner
                .process(pod)
                .filter(p -> p.running() && !killed.contains(p.pid()))
                .ifPresent(p -> ProcessHandle.of(p.pid()).ifPresent(h -> {
                    killed.add(p.pid());
                    h.destroyForcibly();
                }));
    }

    int kills() {
        return killed.size();
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
