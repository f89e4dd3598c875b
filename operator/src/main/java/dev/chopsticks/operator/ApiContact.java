package dev.chopsticks.operator;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Since when this operator has watched the cluster without a gap: its start (or the moment it began leading), moved
 * forward whenever a reconcile could not reach the API server. A bot cannot write its heartbeat while the API server
 * is down either, so heartbeat age is only evidence of a zombie for time the operator itself observed
 * (docs/design/observation-clock.md).
 */
public final class ApiContact {
    private final Clock clock;
    private final AtomicReference<Instant> since;
    private final AtomicBoolean lost = new AtomicBoolean();

    public ApiContact(Clock clock) {
        this.clock = clock;
        this.since = new AtomicReference<>(clock.instant());
    }

    /** This replica (re)started observing: it just became the leader. */
    public void restarted() {
        since.set(clock.instant());
        lost.set(false);
    }

    /** A call failed in a way that says the API server could not be reached. */
    public void lost() {
        lost.set(true);
    }

    /** The start of the current unbroken observation; a reconcile after a lost contact starts a new one. */
    public Instant observingSince() {
        if (lost.compareAndSet(true, false)) {
            since.set(clock.instant());
        }
        return since.get();
    }

    /** Whether {@code e} (or a cause) says the API server could not be reached or was unavailable. */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
            if (t instanceof KubernetesClientException k && (k.getCode() == 503 || k.getCode() == 504)) {
                return true;
            }
        }
        return false;
    }
}
