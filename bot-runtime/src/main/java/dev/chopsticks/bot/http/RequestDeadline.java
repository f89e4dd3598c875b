package dev.chopsticks.bot.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection once its current request has been arriving (headers, or a body) for longer than the deadline.
 * Jetty's idle timeout restarts with every byte and Jetty has no deadline of its own for a request to arrive, so
 * without this a client that sends a byte every few seconds holds a connection forever. Unlike the operator's
 * {@code ConnectionDeadline} it never cuts a keep-alive connection between requests: the load test and wrk keep
 * theirs for the whole run.
 *
 * <p>Reads the parser of Jetty's (internal) {@link HttpConnection} from the scheduler's thread; {@code
 * OpsHttpServerSlowClientTest} fails if a Jetty upgrade changes what it sees.
 */
final class RequestDeadline implements Connection.Listener {
    private final Scheduler scheduler;
    private final long deadlineNanos;
    /** Between requests: how often to look for the next one; shorter than the deadline, so none is missed. */
    private final long idleCheckNanos;

    RequestDeadline(Scheduler scheduler, Duration deadline) {
        this.scheduler = scheduler;
        this.deadlineNanos = deadline.toNanos();
        this.idleCheckNanos = deadline.dividedBy(5).toNanos();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            checkIn(http, idleCheckNanos);
        }
    }

    private void checkIn(HttpConnection http, long nanos) {
        scheduler.schedule(() -> check(http), nanos, TimeUnit.NANOSECONDS);
    }

    private void check(HttpConnection http) {
        EndPoint endPoint = http.getEndPoint();
        if (!endPoint.isOpen() || endPoint.getConnection() != http) {
            return; // closed, or upgraded to another protocol
        }
        long arriving = arrivingFor(http.getParser());
        if (arriving > deadlineNanos) {
            endPoint.close();
        } else {
            // a request under way is looked at again just after its deadline
            checkIn(http, arriving == 0 ? idleCheckNanos : deadlineNanos - arriving + 1_000_000);
        }
    }

    /** Nanoseconds since the current request's first byte; 0 between requests and once a request has arrived. */
    private static long arrivingFor(HttpParser parser) {
        boolean arriving = !parser.isStart() && (parser.inHeaderState() || parser.inContentState());
        return arriving ? Math.max(1, NanoTime.since(parser.getBeginNanoTime())) : 0;
    }
}
