package dev.chopsticks.podrunner;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An incarnation's credentials over its life, as the kubelet keeps a projected token: issued at the first start, kept
 * across restarts (a container's token volume outlives its restarts too), renewed in place, deleted when the
 * incarnation ends. {@link ServiceAccountTokens} does the API calls and files.
 */
final class CredentialsKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialsKeeper.class);
    private static final Duration RENEWAL_RETRY = Duration.ofMinutes(1);

    private final ServiceAccountTokens tokens;
    /** Wakes the slot up after the delay: a renewal is due then. */
    private final Consumer<Duration> wakeIn;

    CredentialsKeeper(ServiceAccountTokens tokens, Consumer<Duration> wakeIn) {
        this.tokens = tokens;
        this.wakeIn = wakeIn;
    }

    /** The credentials for the next start: the incarnation's own, issued anew only if renewals failed until expiry. */
    PodCredentials toStart(Incarnation inc) throws MissingReferenceException {
        boolean expired = inc.credentials instanceof PodCredentials.Kubeconfig kubeconfig
                && !Instant.now().isBefore(kubeconfig.expiresAt());
        if (inc.credentials == null || expired) {
            inc.credentials = tokens.issue(inc.lastSeen);
            scheduleRenewal(inc);
        }
        return inc.credentials;
    }

    /**
     * A running process keeps its kubeconfig file and re-reads it (Fabric8 clients do every minute): a new token in it
     * keeps the process authenticated past the first token's hour. A failure is retried; the old token still works.
     */
    void renewIfDue(Incarnation inc) {
        if (!(inc.credentials instanceof PodCredentials.Kubeconfig current)
                || Instant.now().isBefore(current.renewAt())) {
            return;
        }
        try {
            inc.credentials = tokens.renew(inc.lastSeen, current);
            scheduleRenewal(inc);
        } catch (MissingReferenceException | RuntimeException e) {
            LOG.warn(
                    "pod {}: could not renew its service account token (expires {}): {}; retrying in {}",
                    inc.id,
                    current.expiresAt(),
                    e.getMessage(),
                    RENEWAL_RETRY);
            inc.credentials = new PodCredentials.Kubeconfig(
                    current.file(),
                    current.serviceAccount(),
                    current.expiresAt(),
                    Instant.now().plus(RENEWAL_RETRY));
            wakeIn.accept(RENEWAL_RETRY);
        }
    }

    /** The process is gone: its token goes too (it also stops working once the Pod it is bound to is deleted). */
    void release(Incarnation inc) {
        tokens.release(inc.credentials);
        inc.credentials = null;
    }

    private void scheduleRenewal(Incarnation inc) {
        if (inc.credentials instanceof PodCredentials.Kubeconfig kubeconfig) {
            wakeIn.accept(Duration.between(Instant.now(), kubeconfig.renewAt()));
        }
    }
}
