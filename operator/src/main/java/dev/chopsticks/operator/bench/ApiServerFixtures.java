package dev.chopsticks.operator.bench;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the benchmark and the integration tests do to an API server that runs no controllers: install the committed
 * CRDs, and play the Job controller. Callers wait in their own way (the tests with Awaitility).
 */
public final class ApiServerFixtures {
    private ApiServerFixtures() {}

    /** The CRDs of {@code dir} ({@code *.yaml}, by name), read with the client's serialization. */
    public static List<CustomResourceDefinition> crds(KubernetesClient client, Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<CustomResourceDefinition> out = new ArrayList<>();
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    out.add(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CRDs from " + dir.toAbsolutePath(), e);
        }
    }

    /** The API server serves the CRD's resource. */
    public static boolean established(KubernetesClient client, String crd) {
        var got = client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(crd)
                .get();
        return got != null
                && got.getStatus() != null
                && got.getStatus().getConditions() != null
                && got.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** What the Job controller writes when the Job's pod exits 0 (1.31+ requires SuccessCriteriaMet first). */
    public static void succeedJob(KubernetesClient client, String namespace, String name) {
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        client.batch().v1().jobs().inNamespace(namespace).withName(name).editStatus(job -> {
            job.getStatus().setStartTime(now);
            job.getStatus().setCompletionTime(now);
            job.getStatus().setSucceeded(1);
            job.getStatus()
                    .setConditions(List.of(
                            new JobConditionBuilder()
                                    .withType("SuccessCriteriaMet")
                                    .withStatus("True")
                                    .withReason("CompletionsReached")
                                    .withMessage("Reached expected number of succeeded pods")
                                    .withLastTransitionTime(now)
                                    .withLastProbeTime(now)
                                    .build(),
                            new JobConditionBuilder()
                                    .withType("Complete")
                                    .withStatus("True")
                                    .withReason("CompletionsReached")
                                    .withMessage("Reached expected number of succeeded pods")
                                    .withLastTransitionTime(now)
                                    .withLastProbeTime(now)
                                    .build()));
            return job;
        });
    }
}
