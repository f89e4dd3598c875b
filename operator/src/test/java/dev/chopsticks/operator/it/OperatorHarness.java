package dev.chopsticks.operator.it;

import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.ChopsticksOperator;
import dev.chopsticks.operator.Fixtures;
import dev.chopsticks.operator.bench.ApiServerFixtures;
import dev.chopsticks.operator.config.OperatorConfig;
import dev.chopsticks.operator.intake.ClusterReading;
import dev.chopsticks.operator.metrics.ApiRequestCounter;
import dev.chopsticks.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An operator running in-process against a real API server (kube-api-test): its own client with a request
 * counter, a separate client for the test, the committed CRDs applied from ../crds. There is no controller
 * manager, so Jobs never run and nothing is garbage-collected: tests complete or fail Jobs by writing their status.
 */
final class OperatorHarness implements AutoCloseable {
    final KubernetesClient client;
    final KubernetesClient operatorClient;
    final ApiRequestCounter requests = new ApiRequestCounter();
    final OperatorMetrics metrics;
    final ChopsticksOperator operator;
    private final String kubeConfigYaml;

    OperatorHarness(String kubeConfigYaml) {
        this(kubeConfigYaml, UnaryOperator.identity());
    }

    /** With the committed CRDs changed by {@code crds} before they are applied (e.g. a relaxed schema). */
    OperatorHarness(String kubeConfigYaml, UnaryOperator<CustomResourceDefinition> crds) {
        this.kubeConfigYaml = kubeConfigYaml;
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                .build();
        applyCrds(client, crds);
        operatorClient = ClusterReading.clientBuilder()
                .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(ApiRequestCounter.NAME, requests))
                .build();
        metrics = new OperatorMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), requests);
        operator = new ChopsticksOperator(operatorClient, OperatorConfig.forTests(), metrics);
        operator.start();
    }

    /**
     * The CRD named {@code name} with no schema beyond "spec and status are objects", as an older or hand-edited CRD
     * would be; the others as committed.
     */
    static UnaryOperator<CustomResourceDefinition> relaxed(String name) {
        return crd -> {
            if (!name.equals(crd.getMetadata().getName())) {
                return crd;
            }
            JSONSchemaProps anything = new JSONSchemaPropsBuilder()
                    .withType("object")
                    .withXKubernetesPreserveUnknownFields(true)
                    .build();
            crd.getSpec()
                    .getVersions()
                    .forEach(v -> v.getSchema()
                            .setOpenAPIV3Schema(new JSONSchemaPropsBuilder()
                                    .withType("object")
                                    .withProperties(Map.of("spec", anything, "status", anything))
                                    .build()));
            return crd;
        };
    }

    static Path crdsDir() {
        return Path.of(System.getProperty("crds.dir", "../crds"));
    }

    static void applyCrds(KubernetesClient client) {
        applyCrds(client, UnaryOperator.identity());
    }

    static void applyCrds(KubernetesClient client, UnaryOperator<CustomResourceDefinition> change) {
        for (CustomResourceDefinition committed : ApiServerFixtures.crds(client, crdsDir())) {
            CustomResourceDefinition crd = change.apply(committed);
            client.resource(crd).serverSideApply();
            String name = crd.getMetadata().getName();
            await().atMost(Duration.ofSeconds(30)).until(() -> ApiServerFixtures.established(client, name));
        }
    }

    void namespace(String name) {
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .serverSideApply();
    }

    void secret(String namespace, Secret secret) {
        secret.getMetadata().setNamespace(namespace);
        client.resource(secret).serverSideApply();
    }

    ChopsticksCluster create(String namespace, ChopsticksCluster cluster) {
        cluster.getMetadata().setNamespace(namespace);
        cluster.getMetadata().setUid(null);
        cluster.getMetadata().setGeneration(null);
        return client.resource(cluster).create();
    }

    ChopsticksCluster get(String namespace, String name) {
        return client.resources(ChopsticksCluster.class)
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    /** A second operator on a client of its own, closed together. */
    record Restarted(KubernetesClient client, ChopsticksOperator operator) implements AutoCloseable {
        @Override
        public void close() {
            operator.close();
            client.close();
        }
    }

    /**
     * Stops this harness's operator and starts another, as after a restart: it starts from a list of what exists,
     * not from watch events.
     */
    Restarted restart() {
        operator.close();
        KubernetesClient second = ClusterReading.clientBuilder()
                .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                .build();
        var restarted = new Restarted(
                second,
                new ChopsticksOperator(
                        second,
                        OperatorConfig.forTests(),
                        new OperatorMetrics(new SimpleMeterRegistry(), new ApiRequestCounter())));
        restarted.operator().start();
        return restarted;
    }

    /** A spec change the operator must act on: the cluster's guilds. */
    void setGuilds(String namespace, String name, long guilds) {
        client.resources(ChopsticksCluster.class)
                .inNamespace(namespace)
                .withName(name)
                .edit(c -> {
                    c.setSpec(Fixtures.withGuilds(c.getSpec(), guilds));
                    return c;
                });
    }

    List<Job> jobs(String namespace) {
        return client.batch().v1().jobs().inNamespace(namespace).list().getItems();
    }

    /** What the Job controller would write when the pod exits 0. */
    void completeJob(String namespace, String name) {
        ApiServerFixtures.succeedJob(client, namespace, name);
    }

    void failJob(String namespace, String name) {
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        client.batch().v1().jobs().inNamespace(namespace).withName(name).editStatus(job -> {
            job.getStatus().setStartTime(now);
            job.getStatus().setFailed(4);
            job.getStatus()
                    .setConditions(List.of(
                            new JobConditionBuilder()
                                    .withType("FailureTarget")
                                    .withStatus("True")
                                    .withReason("BackoffLimitExceeded")
                                    .withMessage("Job has reached the specified backoff limit")
                                    .withLastTransitionTime(now)
                                    .withLastProbeTime(now)
                                    .build(),
                            new JobConditionBuilder()
                                    .withType("Failed")
                                    .withStatus("True")
                                    .withReason("BackoffLimitExceeded")
                                    .withMessage("Job has reached the specified backoff limit")
                                    .withLastTransitionTime(now)
                                    .withLastProbeTime(now)
                                    .build()));
            return job;
        });
    }

    /** Waits until the operator has made no write for {@code quiet}. */
    void awaitQuiet(Duration quiet, Duration atMost) {
        long[] last = {requests.writes()};
        long[] since = {System.nanoTime()};
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            long now = requests.writes();
            if (now != last[0]) {
                last[0] = now;
                since[0] = System.nanoTime();
                return false;
            }
            return System.nanoTime() - since[0] >= quiet.toNanos();
        });
    }

    @Override
    public void close() {
        operator.close();
        operatorClient.close();
        client.close();
    }
}
