package dev.chopsticks.bot.http;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that open a connection, send the start of a request and then one more byte every 200 ms, never finishing
 * it: the slow-loris attack, on the headers or on a body announced by Content-Length.
 */
final class SlowClients implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();
    private final long[] closedAfterNanos;
    private final long openedNanos = System.nanoTime();
    private final AtomicLong dripped = new AtomicLong();
    private final ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();

    SlowClients(int port, int count, String start) throws IOException {
        closedAfterNanos = new long[count];
        for (int i = 0; i < count; i++) {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(1);
            s.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
            sockets.add(s);
        }
        drip.scheduleAtFixedRate(this::dripOneByteEach, 0, 200, TimeUnit.MILLISECONDS);
    }

    /** And notes which ones the server has closed, so close times are known to within 200 ms. */
    private synchronized void dripOneByteEach() {
        for (int i = 0; i < sockets.size(); i++) {
            if (closedAfterNanos[i] != 0) {
                continue;
            }
            Socket s = sockets.get(i);
            if (closedByPeer(s)) {
                closedAfterNanos[i] = System.nanoTime() - openedNanos;
                continue;
            }
            try {
                s.getOutputStream().write('x');
                dripped.incrementAndGet();
            } catch (IOException closed) {
                // the server closed it: seen by the next round
            }
        }
    }

    int count() {
        return sockets.size();
    }

    long bytesDripped() {
        return dripped.get();
    }

    /** How many the server has closed so far. */
    synchronized int closedByServer() {
        int closed = 0;
        for (long nanos : closedAfterNanos) {
            closed += nanos == 0 ? 0 : 1;
        }
        return closed;
    }

    /** Waits until the server has closed them all; returns how long after they opened the last one was closed. */
    Duration awaitAllClosed(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> closedByServer() == count());
        long last = 0;
        synchronized (this) {
            for (long nanos : closedAfterNanos) {
                last = Math.max(last, nanos);
            }
        }
        return Duration.ofNanos(last);
    }

    private static boolean closedByPeer(Socket s) {
        try {
            // whatever the server sent before closing (an error status, say), then the end of the stream
            while (s.getInputStream().read() != -1) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        drip.shutdownNow();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
