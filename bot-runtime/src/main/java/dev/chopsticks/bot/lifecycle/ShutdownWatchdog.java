package dev.chopsticks.bot.lifecycle;

import dev.chopsticks.bot.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the graceful stop: if it has not finished within the grace period, the JVM is halted (a shutdown hook may
 * not call System.exit), so the pod never reaches its SIGKILL deadline with half-closed resources.
 */
public final class ShutdownWatchdog {
    private static final Logger log = LoggerFactory.getLogger(ShutdownWatchdog.class);

    private ShutdownWatchdog() {}

    /** Runs {@code stop} and halts the process if it takes longer than {@code grace}. */
    public static void run(Runnable stop, Duration grace) {
        Thread watchdog = DaemonThreads.start("shutdown-watchdog", () -> {
            try {
                Thread.sleep(grace.toMillis());
                log.error("graceful stop exceeded {} s: halting", grace.toSeconds());
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException e) {
                // stopped in time
            }
        });
        try {
            stop.run();
        } finally {
            watchdog.interrupt();
        }
    }

    /** Blocks until SIGTERM/SIGINT, then runs {@code stop} in the shutdown hook, bounded by {@code grace}. */
    public static void awaitSignalThenRun(Runnable stop, Duration grace) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            run(stop, grace);
                            stopped.countDown();
                        },
                        "shutdown"));
        stopped.await();
    }
}
