package dev.chopsticks.operator.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes every connection a fixed time after it opened. Jetty's idle timeout restarts with every byte, so alone it
 * lets a client that sends its request headers a byte at a time hold a connection forever; with this, no request
 * may take longer than the deadline to arrive. The endpoints answer in milliseconds and probes and scrapes open a
 * connection per request or reconnect, so a deadline of seconds never cuts a real client.
 */
final class ConnectionDeadline implements Connection.Listener {
    private final Scheduler scheduler;
    private final Duration deadline;

    ConnectionDeadline(Scheduler scheduler, Duration deadline) {
        this.scheduler = scheduler;
        this.deadline = deadline;
    }

    @Override
    public void onOpened(Connection connection) {
        scheduler.schedule(
                () -> {
                    if (connection.getEndPoint().isOpen()) {
                        connection.getEndPoint().close();
                    }
                },
                deadline.toMillis(),
                TimeUnit.MILLISECONDS);
    }
}
