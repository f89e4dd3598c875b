package dev.chopsticks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator as its Deployment runs it: one pod whose container the kubelet starts again whenever it exits (a
 * SIGKILL, or JOSDK's exit on losing the leader Lease during a control-plane outage). The restart keeps POD_NAME, so
 * the new process re-takes its own Lease at once, as a restarted container does. The kubelet's crash-loop back-off
 * (10 s doubling) is replaced by a fixed {@link #RESTART_DELAY}, so that a kill loop every 10 s always meets a
 * running operator.
 */
final class SupervisedOperator implements AutoCloseable {
    static final Duration RESTART_DELAY = Duration.ofSeconds(1);

    private final String identity;
    private final String namespace;
    private final int httpPort;
    private final AtomicInteger starts = new AtomicInteger();
    private final Thread kubelet;
    private volatile OperatorProcess current;
    private volatile boolean closed;

    private SupervisedOperator(String identity, String namespace, int httpPort) throws IOException {
        this.identity = identity;
        this.namespace = namespace;
        this.httpPort = httpPort;
        this.current = launch();
        this.kubelet = Thread.ofVirtual().name("kubelet-" + identity).start(this::superviseLoop);
    }

    static SupervisedOperator start(String identity, String namespace, int httpPort) throws IOException {
        return new SupervisedOperator(identity, namespace, httpPort);
    }

    private OperatorProcess launch() throws IOException {
        starts.incrementAndGet();
        return OperatorProcess.start(identity, namespace, httpPort);
    }

    private void superviseLoop() {
        try {
            while (!closed) {
                current.awaitExit();
                if (closed) {
                    return;
                }
                Thread.sleep(RESTART_DELAY); // the kubelet's restart delay, not synchronisation
                if (!closed) {
                    current = launch();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILLs the running process (no Lease release); the kubelet stand-in starts the next one. */
    void kill() throws InterruptedException {
        current.kill();
    }

    boolean isAlive() {
        return current.isAlive();
    }

    /** Processes started so far, the first included. */
    int starts() {
        return starts.get();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        current.close();
        kubelet.interrupt();
        kubelet.join(Duration.ofSeconds(30));
    }
}
