package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a Pod incarnation's process the credentials a kubelet would mount into its container: a token of the Pod's
 * ServiceAccount from the TokenRequest API, bound to the Pod (it stops working once the Pod is gone), written into a
 * kubeconfig file. A real pod reads a token file and the cluster CA; a local process gets the same as a kubeconfig
 * through {@code KUBECONFIG}, the way our processes already find the API server.
 */
final class ServiceAccountTokens {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountTokens.class);
    static final String DEFAULT_SERVICE_ACCOUNT = "default";
    /** An hour, about the kubelet's own choice (3607 s); it renews tokens well before they expire, and so do we. */
    static final long EXPIRATION_SECONDS = 3600;

    static final String FILE_SUFFIX = ".kubeconfig";

    private final KubernetesClient client;
    private final PodRunnerConfig config;
    /** The cluster as the runner reaches it; null while tokens are off. */
    private final ClusterEndpoint cluster;

    ServiceAccountTokens(KubernetesClient client, PodRunnerConfig config) {
        this.client = client;
        this.config = config;
        this.cluster = config.serviceAccountTokens() ? ClusterEndpoint.of(client.getConfiguration()) : null;
    }

    /** Where the runner reaches the API server, and how it trusts it: a process must do the same. */
    record ClusterEndpoint(String server, String certificateAuthorityData, boolean insecureSkipTlsVerify) {
        static ClusterEndpoint of(Config config) {
            String ca = config.getCaCertData();
            if (ca == null && config.getCaCertFile() != null) {
                try {
                    ca = Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the cluster CA " + config.getCaCertFile(), e);
                }
            }
            return new ClusterEndpoint(config.getMasterUrl(), ca == null ? null : ca.trim(), config.isTrustCerts());
        }
    }

    /**
     * The credentials for the processes of this Pod incarnation: the runner's own while tokens are off, none when the
     * Pod does not automount a token, else a fresh token in the incarnation's kubeconfig file.
     *
     * @throws MissingReferenceException the token could not be had (no such ServiceAccount, API error): like the
     *     kubelet, do not start the container, and try again later
     */
    PodCredentials issue(Pod pod) throws MissingReferenceException {
        if (!config.serviceAccountTokens()) {
            return new PodCredentials.RunnerLevel();
        }
        String serviceAccount = serviceAccountOf(pod);
        String namespace = pod.getMetadata().getNamespace();
        try {
            // The Pod's own setting wins, so the ServiceAccount is only read when the Pod leaves it unset.
            ServiceAccount account = pod.getSpec().getAutomountServiceAccountToken() != null
                    ? null
                    : client.serviceAccounts()
                            .inNamespace(namespace)
                            .withName(serviceAccount)
                            .get();
            if (!automount(pod, account)) {
                LOG.info("pod {}: automountServiceAccountToken is false: no credentials", PodId.of(pod));
                return new PodCredentials.None();
            }
        } catch (KubernetesClientException e) {
            throw tokenFailure(serviceAccount, e);
        }
        PodCredentials.Kubeconfig issued = write(pod, fileOf(config, PodId.of(pod)));
        LOG.info(
                "pod {}: token of service account {} in {} (expires {})",
                PodId.of(pod),
                serviceAccount,
                issued.file(),
                issued.expiresAt());
        return issued;
    }

    /** A new token into the same file: a process running with it reads it from there. */
    PodCredentials.Kubeconfig renew(Pod pod, PodCredentials.Kubeconfig current) throws MissingReferenceException {
        PodCredentials.Kubeconfig renewed = write(pod, current.file());
        LOG.info(
                "pod {}: renewed the token of service account {} (expires {})",
                PodId.of(pod),
                renewed.serviceAccount(),
                renewed.expiresAt());
        return renewed;
    }

    /** Deletes the incarnation's kubeconfig, if it has one: the token must not outlive the process on disk. */
    void release(PodCredentials credentials) {
        if (credentials instanceof PodCredentials.Kubeconfig kubeconfig) {
            try {
                Files.deleteIfExists(kubeconfig.file());
            } catch (IOException e) {
                LOG.warn("could not delete {}: {}", kubeconfig.file(), e.toString());
            }
        }
    }

    private PodCredentials.Kubeconfig write(Pod pod, Path file) throws MissingReferenceException {
        String serviceAccount = serviceAccountOf(pod);
        String namespace = pod.getMetadata().getNamespace();
        Instant asked = Instant.now();
        TokenRequest granted;
        try {
            granted = client.serviceAccounts()
                    .inNamespace(namespace)
                    .withName(serviceAccount)
                    .tokenRequest(requestFor(pod));
        } catch (KubernetesClientException e) {
            throw tokenFailure(serviceAccount, e);
        }
        String token = granted.getStatus() == null ? null : granted.getStatus().getToken();
        if (token == null || token.isEmpty()) {
            throw new MissingReferenceException("failed to fetch token for service account \"" + serviceAccount
                    + "\": the API server returned none");
        }
        Instant expiresAt = granted.getStatus().getExpirationTimestamp() != null
                ? Instant.parse(granted.getStatus().getExpirationTimestamp())
                : asked.plusSeconds(EXPIRATION_SECONDS);
        TokenKubeconfig kubeconfig = new TokenKubeconfig(
                cluster.server(),
                cluster.certificateAuthorityData(),
                cluster.insecureSkipTlsVerify(),
                "system:serviceaccount:" + namespace + ":" + serviceAccount,
                token,
                namespace);
        try {
            PrivateFiles.replace(file, kubeconfig.render().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return new PodCredentials.Kubeconfig(file, serviceAccount, expiresAt, renewAt(asked, expiresAt));
    }

    /** Names the ServiceAccount and says what the API server said (never the token: it was not had). */
    private static MissingReferenceException tokenFailure(String serviceAccount, KubernetesClientException e) {
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : e.getMessage();
        return new MissingReferenceException(
                "failed to fetch token for service account \"" + serviceAccount + "\": " + reason);
    }

    /** {@code spec.serviceAccountName}, else {@code default}, as the ServiceAccount admission plugin sets it. */
    static String serviceAccountOf(Pod pod) {
        String name = pod.getSpec().getServiceAccountName();
        return name == null || name.isEmpty() ? DEFAULT_SERVICE_ACCOUNT : name;
    }

    /**
     * Whether the Pod gets a token: its own {@code automountServiceAccountToken} if set, else its ServiceAccount's,
     * else yes.
     *
     * @param account the Pod's ServiceAccount, or null when not read or missing (then the token request says so)
     */
    static boolean automount(Pod pod, ServiceAccount account) {
        Boolean own = pod.getSpec().getAutomountServiceAccountToken();
        if (own != null) {
            return own;
        }
        return account == null
                || account.getAutomountServiceAccountToken() == null
                || account.getAutomountServiceAccountToken();
    }

    /** What the kubelet asks for a projected token, bound to this Pod (name and UID) so that it dies with the Pod. */
    static TokenRequest requestFor(Pod pod) {
        return new TokenRequestBuilder()
                .withNewSpec()
                .withExpirationSeconds(EXPIRATION_SECONDS)
                .withNewBoundObjectRef()
                .withKind("Pod")
                .withApiVersion("v1")
                .withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid())
                .endBoundObjectRef()
                .endSpec()
                .build();
    }

    /** At 80% of the token's life, as the kubelet's token manager does. */
    static Instant renewAt(Instant issued, Instant expiresAt) {
        Duration life = Duration.between(issued, expiresAt);
        return issued.plus(life.multipliedBy(4).dividedBy(5));
    }

    /** {@code <logDir>/<namespace>/<pod>-<uid>.kubeconfig}, beside the incarnation's log. */
    static Path fileOf(PodRunnerConfig config, PodId id) {
        return config.logDir().resolve(id.namespace()).resolve(id.name() + "-" + id.uid() + FILE_SUFFIX);
    }

    /**
     * Deletes the kubeconfigs a runner killed with SIGKILL left in {@code dir}: their tokens may still be valid. The
     * processes they were for are gone (see {@link OrphanReaper}); a new runner issues its own.
     */
    static int removeLeftovers(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(ServiceAccountTokens::isKubeconfig).toList()) {
                Files.deleteIfExists(file);
                removed++;
            }
        } catch (IOException e) {
            LOG.warn("could not remove the kubeconfigs left in {}: {}", dir, e.toString());
        }
        return removed;
    }

    /**
     * Ours: {@code <pod>-<uid>.kubeconfig}, or the temporary file of a write a kill interrupted,
     * {@code .<pod>-<uid>.kubeconfig<random>.tmp} (a Pod name never starts with a dot, a log file never matches).
     */
    private static boolean isKubeconfig(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(FILE_SUFFIX)
                || (name.startsWith(".") && name.endsWith(".tmp") && name.contains(FILE_SUFFIX));
    }
}
