package dev.chopsticks.podrunner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the runner watches and how it runs processes.
 *
 * @param namespace the namespace watched
 * @param labelSelector the Pods run, e.g. {@code app.kubernetes.io/component=shard}
 * @param imageCommands image-to-command rules; a Pod whose first container matches none is logged and left alone
 * @param portEnv the variable given each process's own loopback port (every Pod declares the same port)
 * @param logDir per-Pod logs go to {@code logDir/<namespace>/<pod>-<uid>.log}
 * @param workingDir working directory of the processes; null: the runner's
 * @param extraEnv variables every process gets under the Pod's own (which win on a clash)
 * @param inheritedEnv names of the runner's variables passed on (PATH, JAVA_HOME...): a container does not see its
 *     host's environment, but a local process needs a few of them to start at all
 * @param restartBackoffInitial delay before the first restart of a process that exited (doubles up to the max)
 * @param restartBackoffMax longest restart delay; a process that ran twice as long resets the back-off
 * @param recordRestarts write restartCount and container state to the Pod's status subresource
 * @param readinessBridge write the readiness probe's result to the Pod's Ready condition
 * @param readinessPeriod how often the readiness path is polled
 * @param shutdownGraceCap the longest {@link PodRunner#close()} waits for each process after SIGTERM (the Pod's
 *     terminationGracePeriodSeconds still applies to Pod deletions)
 * @param holdTermination add a finalizer to every Pod run, removed once its process is gone, so that a deleted Pod
 *     stays Terminating until its process exited, as with a real kubelet (kwok deletes Pods at once otherwise)
 * @param startNice niceness (1..19) a process starts with, lowered to 0 once its readiness probe first passes; 0
 *     (the default) leaves priorities alone. On one machine standing in for many nodes, starting pods then take the
 *     CPU their serving neighbours leave, as pods on other nodes (or with CPU requests) would, instead of starving
 *     them. Needs a readiness probe; lowering the value back needs root or CAP_SYS_NICE.
 * @param startSpacing least time between two process starts of this runner (zero, the default: none), so that a
 *     burst of new Pods does not saturate the one machine that stands in for many nodes
 * @param serviceAccountTokens give each process its Pod's own credentials, as a kubelet mounts them: a token of the
 *     Pod's ServiceAccount bound to the Pod (TokenRequest API), in a kubeconfig that {@code KUBECONFIG} points to,
 *     replacing a runner-level {@code KUBECONFIG}; a Pod whose token is not automounted gets no {@code KUBECONFIG}.
 *     RBAC then applies to the process as to a real pod, and a token is cheaper for a JVM client to load than a
 *     client certificate (no PKCS12 keystore to build)
 * @param host what {@code resourceFieldRef} to an unset limit reads
 */
public record PodRunnerConfig(
        String namespace,
        String labelSelector,
        ImageCommands imageCommands,
        String portEnv,
        Path logDir,
        Path workingDir,
        Map<String, String> extraEnv,
        List<String> inheritedEnv,
        Duration restartBackoffInitial,
        Duration restartBackoffMax,
        boolean recordRestarts,
        boolean readinessBridge,
        Duration readinessPeriod,
        Duration shutdownGraceCap,
        boolean holdTermination,
        int startNice,
        Duration startSpacing,
        boolean serviceAccountTokens,
        HostResources host) {

    public static final String DEFAULT_SELECTOR = "app.kubernetes.io/component=shard";
    public static final String DEFAULT_PORT_ENV = "HTTP_PORT";
    public static final List<String> DEFAULT_INHERITED_ENV =
            List.of("PATH", "HOME", "USER", "JAVA_HOME", "LANG", "LC_ALL", "TZ", "TMPDIR");

    public PodRunnerConfig {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(startSpacing, "startSpacing");
        if (startSpacing.isNegative()) {
            throw new IllegalArgumentException("startSpacing must not be negative, got " + startSpacing);
        }
        if (startNice < 0 || startNice > 19) {
            throw new IllegalArgumentException("startNice must be 0..19, got " + startNice);
        }
        Objects.requireNonNull(labelSelector, "labelSelector");
        Objects.requireNonNull(imageCommands, "imageCommands");
        Objects.requireNonNull(portEnv, "portEnv");
        Objects.requireNonNull(logDir, "logDir");
        extraEnv = Map.copyOf(extraEnv);
        inheritedEnv = List.copyOf(inheritedEnv);
        Objects.requireNonNull(host, "host");
        if (restartBackoffInitial.isNegative() || restartBackoffMax.compareTo(restartBackoffInitial) < 0) {
            throw new IllegalArgumentException("need 0 <= restartBackoffInitial <= restartBackoffMax");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: shard Pods, {@code HTTP_PORT}, logs in {@code target/pod-runner}, 1 s to 30 s restart back-off. */
    public static final class Builder {
        private String namespace = "default";
        private String labelSelector = DEFAULT_SELECTOR;
        private final List<ImageCommand> imageCommands = new ArrayList<>();
        private String portEnv = DEFAULT_PORT_ENV;
        private Path logDir = Path.of("target", "pod-runner");
        private Path workingDir;
        private final Map<String, String> extraEnv = new LinkedHashMap<>();
        private List<String> inheritedEnv = DEFAULT_INHERITED_ENV;
        private Duration restartBackoffInitial = Duration.ofSeconds(1);
        private Duration restartBackoffMax = Duration.ofSeconds(30);
        private boolean recordRestarts = true;
        private boolean readinessBridge;
        private Duration readinessPeriod = Duration.ofSeconds(1);
        private Duration shutdownGraceCap = Duration.ofSeconds(10);
        private boolean holdTermination;
        private int startNice;
        private Duration startSpacing = Duration.ZERO;
        private boolean serviceAccountTokens;
        private HostResources host;

        private Builder() {}

        public Builder namespace(String value) {
            namespace = value;
            return this;
        }

        public Builder labelSelector(String value) {
            labelSelector = value;
            return this;
        }

        /** Adds a rule, e.g. {@code chopsticks/bot-runtime*=java -jar /abs/bot-runtime.jar}. */
        public Builder imageCommand(String rule) {
            imageCommands.add(ImageCommand.parse(rule));
            return this;
        }

        public Builder imageCommand(String imageGlob, List<String> command) {
            imageCommands.add(new ImageCommand(imageGlob, command));
            return this;
        }

        public Builder portEnv(String value) {
            portEnv = value;
            return this;
        }

        public Builder logDir(Path value) {
            logDir = value;
            return this;
        }

        public Builder workingDir(Path value) {
            workingDir = value;
            return this;
        }

        public Builder env(String name, String value) {
            extraEnv.put(name, value);
            return this;
        }

        public Builder inheritedEnv(List<String> names) {
            inheritedEnv = names;
            return this;
        }

        public Builder restartBackoff(Duration initial, Duration max) {
            restartBackoffInitial = initial;
            restartBackoffMax = max;
            return this;
        }

        public Builder recordRestarts(boolean value) {
            recordRestarts = value;
            return this;
        }

        public Builder readinessBridge(boolean value) {
            readinessBridge = value;
            return this;
        }

        public Builder readinessPeriod(Duration value) {
            readinessPeriod = value;
            return this;
        }

        public Builder shutdownGraceCap(Duration value) {
            shutdownGraceCap = value;
            return this;
        }

        public Builder holdTermination(boolean value) {
            holdTermination = value;
            return this;
        }

        public Builder startNice(int value) {
            startNice = value;
            return this;
        }

        public Builder startSpacing(Duration value) {
            startSpacing = value;
            return this;
        }

        public Builder serviceAccountTokens(boolean value) {
            serviceAccountTokens = value;
            return this;
        }

        public Builder host(HostResources value) {
            host = value;
            return this;
        }

        public PodRunnerConfig build() {
            return new PodRunnerConfig(
                    namespace,
                    labelSelector,
                    new ImageCommands(imageCommands),
                    portEnv,
                    logDir,
                    workingDir,
                    extraEnv,
                    inheritedEnv,
                    restartBackoffInitial,
                    restartBackoffMax,
                    recordRestarts,
                    readinessBridge,
                    readinessPeriod,
                    shutdownGraceCap,
                    holdTermination,
                    startNice,
                    startSpacing,
                    serviceAccountTokens,
                    host != null ? host : HostResources.ofThisMachine());
        }
    }
}
