package dev.chopsticks.bot.http;

import dev.chopsticks.bot.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Runs an expensive probe (e.g. a database round trip) in the background and answers from the last result. */
public final class PeriodicCheck implements BooleanSupplier, AutoCloseable {
    private final ScheduledExecutorService scheduler;
    private volatile boolean last;

    public PeriodicCheck(String name, BooleanSupplier probe, Duration every) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("check-" + name));
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        last = probe.getAsBoolean();
                    } catch (RuntimeException e) {
                        last = false;
                    }
                },
                0,
                every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean getAsBoolean() {
        return last;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
