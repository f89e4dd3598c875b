package dev.chopsticks.bot.dashboard;

import dev.chopsticks.bot.concurrent.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the overview in the background, so a request never waits for PostgreSQL and a burst of requests costs one
 * query per interval. The last good overview is kept while PostgreSQL is down (with its {@code asOf}), so the
 * dashboard degrades to stale data instead of failing.
 */
final class OverviewRefresher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OverviewRefresher.class);

    private final Supplier<ClusterOverview> read;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("dashboard-overview"));
    private final Counter failures;
    private volatile ClusterOverview last;
    private volatile boolean failing;

    OverviewRefresher(Supplier<ClusterOverview> read, Duration every, MeterRegistry meters) {
        this.read = read;
        this.failures = Counter.builder("chopsticks.dashboard.overview.failures")
                .description("Overview reads from PostgreSQL that failed")
                .register(meters);
        scheduler.scheduleWithFixedDelay(this::refresh, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refresh() {
        try {
            last = read.get();
            if (failing) {
                log.info("cluster overview readable again");
            }
            failing = false;
        } catch (RuntimeException e) {
            failures.increment();
            if (!failing) {
                // The message names the operation only (DataUnavailableException); no URL, no credentials.
                log.warn("cluster overview not readable: {}", e.getMessage());
            }
            failing = true;
        }
    }

    /** The last overview read, empty until the first read succeeds. */
    Optional<ClusterOverview> last() {
        return Optional.ofNullable(last);
    }

    /** Whether the last read failed (then {@link #last()} is stale). */
    boolean stale() {
        return failing;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
