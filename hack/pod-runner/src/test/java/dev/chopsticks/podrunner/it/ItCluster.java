package dev.chopsticks.podrunner.it;

import static org.awaitility.Awaitility.await;

import dev.chopsticks.podrunner.KubeClients;
import dev.chopsticks.podrunner.PodRunner;
import dev.chopsticks.podrunner.ProcessInfo;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/** What the ITs share on the simulated cluster: a namespace of their own, kwok's toleration, and waits. */
final class ItCluster {
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** Lets Pods onto kwok nodes tainted by {@code SIM_TAINT_NODES=true}. */
    static final Toleration KWOK_NODE = new TolerationBuilder()
            .withKey("kwok.x-k8s.io/node")
            .withOperator("Exists")
            .withEffect("NoSchedule")
            .build();

    private ItCluster() {}

    /** Per test, so that each one is reported skipped with the reason (an assumption in @BeforeAll hides it). */
    static void assumeCluster(Class<?> test) {
        Assumptions.assumeTrue(
                available(),
                "KUBECONFIG is not set: " + test.getSimpleName() + " needs a cluster with kwok nodes "
                        + "(hack/sim-cluster.sh up, then eval \"$(hack/sim-cluster.sh env)\")");
    }

    static boolean available() {
        return System.getenv("KUBECONFIG") != null;
    }

    static KubernetesClient client() {
        return KubeClients.fromEnvironment();
    }

    /** Creates a namespace {@code prefix-<random>} and returns its name. */
    static String createNamespace(KubernetesClient client, String prefix) {
        String namespace = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .endMetadata()
                        .build())
                .create();
        return namespace;
    }

    /** Closes the runner (no process left), then deletes the namespace; either may be null when no cluster was there. */
    static void cleanUp(PodRunner runner, KubernetesClient client, String namespace) {
        if (runner != null) {
            runner.close();
        }
        if (client != null) {
            client.namespaces().withName(namespace).delete();
            client.close();
        }
    }

    /** The process's log once it contains {@code marker}. */
    static String awaitLog(ProcessInfo p, String marker) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> Files.exists(p.logFile()) ? Files.readString(p.logFile()) : "",
                        log -> log.contains(marker));
    }

    /** Waits for a Warning Event on the Pod whose message contains {@code text}. */
    static void awaitWarningEvent(KubernetesClient client, String namespace, String pod, String text) {
        await().atMost(TIMEOUT)
                .until(() -> client.v1().events().inNamespace(namespace).list().getItems().stream()
                        .anyMatch(e -> pod.equals(e.getInvolvedObject().getName())
                                && "Warning".equals(e.getType())
                                && e.getMessage().contains(text)));
    }
}
