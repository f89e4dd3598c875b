package dev.chopsticks.operator.bot;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Ports;
import dev.chopsticks.operator.common.Resources;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.util.List;

/**
 * A container of the bot image in one of its modes ({@code run}, {@code dashboard}): the image, the resources, the
 * HTTP port and the probes of the HTTP server every mode serves ({@code /ready}, {@code /health}).
 */
public final class BotContainer {
    /** How long a bot process may take to serve /health before the kubelet restarts it. */
    public static final int STARTUP_SECONDS = 300;
    /**
     * Kubernetes' default of 1 s turns a GC pause or a CPU-starved node into probe failures; a live process answers
     * /health in milliseconds, so 3 s still tells a hung one.
     */
    public static final int PROBE_TIMEOUT_SECONDS = 3;

    private BotContainer() {}

    public static ContainerBuilder of(ChopsticksCluster cluster, String name, String mode, List<EnvVar> env) {
        var bot = cluster.getSpec().bot();
        return new ContainerBuilder()
                .withName(name)
                .withImage(bot.image())
                .withArgs(mode)
                .addNewPort()
                .withName("http")
                .withContainerPort(Ports.HTTP)
                .withProtocol("TCP")
                .endPort()
                .withEnv(env)
                .withResources(Resources.of(bot.resources()))
                .withReadinessProbe(new ProbeBuilder()
                        .withNewHttpGet()
                        .withPath("/ready")
                        .withPort(new IntOrString("http"))
                        .endHttpGet()
                        .withPeriodSeconds(5)
                        .withTimeoutSeconds(PROBE_TIMEOUT_SECONDS)
                        .build())
                // Liveness only once started: a JVM that starts beside many others on a busy node can take minutes
                // (8 bots on a 2-core kind node: ~100 s to /health), and a liveness kill then only restarts it.
                .withStartupProbe(new ProbeBuilder()
                        .withNewHttpGet()
                        .withPath("/health")
                        .withPort(new IntOrString("http"))
                        .endHttpGet()
                        .withPeriodSeconds(5)
                        .withTimeoutSeconds(PROBE_TIMEOUT_SECONDS)
                        .withFailureThreshold(STARTUP_SECONDS / 5)
                        .build())
                .withLivenessProbe(new ProbeBuilder()
                        .withNewHttpGet()
                        .withPath("/health")
                        .withPort(new IntOrString("http"))
                        .endHttpGet()
                        .withPeriodSeconds(10)
                        .withTimeoutSeconds(PROBE_TIMEOUT_SECONDS)
                        .build());
    }
}
