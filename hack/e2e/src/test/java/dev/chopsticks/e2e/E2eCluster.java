package dev.chopsticks.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The cluster under test: whatever KUBECONFIG points at. Shared helpers for the e2e scenarios. */
final class E2eCluster {
    static final Path REPO = Path.of(System.getProperty("chopsticks.repoDir", "../.."));

    private E2eCluster() {}

    static KubernetesClient connect() {
        if (System.getenv("KUBECONFIG") == null) {
            throw new IllegalStateException("KUBECONFIG is not set: start a cluster first (hack/sim-cluster.sh up)");
        }
        return new KubernetesClientBuilder().build();
    }

    /**
     * A namespace with the Secrets a sample ChopsticksCluster references: {@code discord} (key token) and
     * {@code chopsticks-db} (host, port, dbname, user, password; nothing listens there, kwok pods run no containers).
     */
    static void createNamespaceWithSecrets(KubernetesClient client, String namespace) {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .endMetadata()
                        .build())
                .serverSideApply();
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("discord")
                        .withNamespace(namespace)
                        .endMetadata()
                        .withStringData(Map.of("token", "e2e-token"))
                        .build())
                .serverSideApply();
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("chopsticks-db")
                        .withNamespace(namespace)
                        .endMetadata()
                        .withStringData(Map.of(
                                "host",
                                "postgres.example",
                                "port",
                                "5432",
                                "dbname",
                                "chopsticks",
                                "user",
                                "chopsticks",
                                "password",
                                "e2e-password"))
                        .build())
                .serverSideApply();
    }

    /** Writes the namespace's Events, oldest first, to {@code hack/e2e/target/<file>}: what happened, for a failed run. */
    static void writeEvents(KubernetesClient client, String namespace, String file) throws IOException {
        Files.write(
                REPO.resolve("hack/e2e/target").resolve(file),
                client.v1().events().inNamespace(namespace).list().getItems().stream()
                        .sorted(Comparator.comparing(
                                e -> String.valueOf(e.getMetadata().getCreationTimestamp())))
                        .map(e -> e.getMetadata().getCreationTimestamp() + " "
                                + e.getInvolvedObject().getKind() + "/"
                                + e.getInvolvedObject().getName() + " " + e.getReason() + ": " + e.getMessage())
                        .toList());
    }

    /** Applies the committed CRDs (crds/*.yaml) and waits until the API server serves them. */
    static void installCrds(KubernetesClient client) throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(REPO.resolve("crds"))) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path file : files) {
            CustomResourceDefinition crd = client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .load(file.toFile())
                    .item();
            client.resource(crd).forceConflicts().serverSideApply();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                CustomResourceDefinition current = client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(crd.getMetadata().getName())
                        .get();
                return current.getStatus() != null
                        && current.getStatus().getConditions().stream()
                                .anyMatch(c -> c.getType().equals("Established")
                                        && c.getStatus().equals("True"));
            });
        }
    }
}
