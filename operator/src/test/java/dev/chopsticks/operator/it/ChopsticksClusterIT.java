package dev.chopsticks.operator.it;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.ClusterPhase;
import dev.chopsticks.api.v1alpha1.PgBouncerSpec;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import dev.chopsticks.api.v1alpha1.StatusCondition;
import dev.chopsticks.operator.ChopsticksClusterReconciler;
import dev.chopsticks.operator.ChopsticksOperator;
import dev.chopsticks.operator.bench.ApiServerFixtures;
import dev.chopsticks.operator.common.Annotations;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.config.OperatorConfig;
import dev.chopsticks.operator.intake.ClusterReading;
import dev.chopsticks.operator.metrics.ApiRequestCounter;
import dev.chopsticks.operator.metrics.MetricContract;
import dev.chopsticks.operator.metrics.OperatorMetrics;
import dev.chopsticks.operator.migrations.MigrationJob;
import dev.chopsticks.operator.rbac.BotServiceAccount;
import dev.chopsticks.operator.shards.ShardStatefulSet;
import dev.chopsticks.operator.shards.ShardStatusSync;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tier 2: the operator against a real kube-apiserver + etcd. One API server and one operator for the class; each
 * test works in its own namespace.
 */
@ExtendWith(KubeApiTestBinaries.class)
@EnableKubeAPIServer
class ChopsticksClusterIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final AtomicInteger NS = new AtomicInteger();

    @KubeConfig
    static String kubeConfigYaml;

    static OperatorHarness h;

    @BeforeAll
    static void start() {
        h = new OperatorHarness(kubeConfigYaml);
        installServiceMonitorCrd();
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    /** A stand-in for the Prometheus Operator's CRD, so the ServiceMonitor dependent activates. */
    static void installServiceMonitorCrd() {
        var crd = new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("servicemonitors.monitoring.coreos.com")
                .endMetadata()
                .withNewSpec()
                .withGroup("monitoring.coreos.com")
                .withScope("Namespaced")
                .withNewNames()
                .withKind("ServiceMonitor")
                .withPlural("servicemonitors")
                .withSingular("servicemonitor")
                .endNames()
                .addNewVersion()
                .withName("v1")
                .withServed(true)
                .withStorage(true)
                .withNewSchema()
                .withNewOpenAPIV3Schema()
                .withType("object")
                .withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema()
                .endSchema()
                .endVersion()
                .endSpec()
                .build();
        h.client.resource(crd).serverSideApply();
        await().atMost(TIMEOUT)
                .until(() -> ApiServerFixtures.established(
                        h.client, crd.getMetadata().getName()));
    }

    static String newNamespace() {
        String ns = "it-" + NS.incrementAndGet();
        h.namespace(ns);
        return ns;
    }

    static void secrets(String ns, Secret... secrets) {
        for (Secret s : secrets) {
            h.secret(ns, s);
        }
    }

    /** Namespace with secrets, the cluster, its migration Job completed, its shard StatefulSet present. */
    static String deploy(ChopsticksClusterSpec spec) {
        String ns = newNamespace();
        secrets(ns, pgSecret(), discordSecret(), adminSecret());
        h.create(ns, cluster(spec));
        completeMigration(ns);
        await().atMost(TIMEOUT).until(() -> statefulSet(ns) != null);
        return ns;
    }

    static void completeMigration(String ns) {
        String name = awaitMigrationJob(ns);
        h.completeJob(ns, name);
    }

    /** The newest not-yet-finished migration Job's name. */
    static String awaitMigrationJob(String ns) {
        String expected = MigrationJob.name(h.get(ns, NAME));
        await().atMost(TIMEOUT)
                .until(() -> h.client
                                .batch()
                                .v1()
                                .jobs()
                                .inNamespace(ns)
                                .withName(expected)
                                .get()
                        != null);
        return expected;
    }

    static StatefulSet statefulSet(String ns) {
        return h.client
                .apps()
                .statefulSets()
                .inNamespace(ns)
                .withName("chopsticks-shards")
                .get();
    }

    static List<Shard> shards(String ns) {
        return h.client.resources(Shard.class).inNamespace(ns).list().getItems();
    }

    static <T extends HasMetadata> T get(Class<T> type, String ns, String name) {
        return h.client.resources(type).inNamespace(ns).withName(name).get();
    }

    /** Replaces the spec; retried on 409, since the operator writes the status between our read and write. */
    static ChopsticksCluster patchSpec(String ns, ChopsticksClusterSpec spec) {
        for (int attempt = 1; ; attempt++) {
            try {
                return h.client
                        .resources(ChopsticksCluster.class)
                        .inNamespace(ns)
                        .withName(NAME)
                        .edit(c -> {
                            c.setSpec(spec);
                            return c;
                        });
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    static StatusCondition condition(String ns, String type) {
        var c = h.get(ns, NAME);
        if (c.getStatus() == null || c.getStatus().conditions() == null) {
            return null;
        }
        return c.getStatus().conditions().stream()
                .filter(x -> type.equals(x.type()))
                .findFirst()
                .orElse(null);
    }

    static List<Event> events(String ns, String reason) {
        return h.client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()))
                .toList();
    }

    static void assertOwnedByCluster(HasMetadata resource, ChopsticksCluster cluster) {
        assertThat(resource).as("resource exists").isNotNull();
        List<OwnerReference> refs = resource.getMetadata().getOwnerReferences();
        assertThat(refs)
                .as(resource.getKind() + " " + resource.getMetadata().getName() + " owner")
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.getKind()).isEqualTo("ChopsticksCluster");
                    assertThat(r.getApiVersion()).isEqualTo("chopsticks.dev/v1alpha1");
                    assertThat(r.getName()).isEqualTo(NAME);
                    assertThat(r.getUid()).isEqualTo(cluster.getMetadata().getUid());
                    assertThat(r.getController()).isTrue();
                });
        assertThat(resource.getMetadata().getLabels())
                .containsEntry(Labels.NAME, "chopsticks")
                .containsEntry(Labels.INSTANCE, NAME)
                .containsEntry(Labels.MANAGED_BY, "chopsticks-operator")
                .containsEntry(Labels.PART_OF, "chopsticks")
                .containsKey(Labels.COMPONENT);
        assertThat(resource.getMetadata().getManagedFields())
                .as("applied with the operator's field manager")
                .anySatisfy(m -> {
                    assertThat(m.getManager()).isEqualTo(ChopsticksClusterReconciler.FIELD_MANAGER);
                    assertThat(m.getOperation()).isEqualTo("Apply");
                });
    }

    @Test
    void appliedClusterGetsEveryOwnedResource() {
        String ns = deploy(withDashboard(spec(16_000)));
        ChopsticksCluster cluster = h.get(ns, NAME);

        StatefulSet sts = statefulSet(ns);
        assertOwnedByCluster(sts, cluster);
        assertThat(sts.getSpec().getReplicas()).isEqualTo(8);
        assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(sts.getMetadata().getAnnotations()).containsKey("chopsticks.dev/pod-template-hash");
        var env = sts.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertThat(env)
                .extracting(EnvVar::getName)
                .contains(
                        "SHARD_COUNT",
                        "SHARDS_PER_POD",
                        "POD_NAME",
                        "POSTGRES_URL",
                        "PGPASSWORD",
                        "REDIS_URL",
                        "REDIS_PASSWORD",
                        "DISCORD_TOKEN",
                        "MAX_CONCURRENCY",
                        "CHOPSTICKS_CLUSTER");

        for (HasMetadata r : List.of(
                get(Service.class, ns, "chopsticks-shards"),
                get(PodDisruptionBudget.class, ns, "chopsticks-shards"),
                get(ServiceAccount.class, ns, "chopsticks-bot"),
                get(Role.class, ns, "chopsticks-bot"),
                get(RoleBinding.class, ns, "chopsticks-bot"),
                get(StatefulSet.class, ns, "chopsticks-redis"),
                get(Service.class, ns, "chopsticks-redis"),
                get(ConfigMap.class, ns, "chopsticks-redis-config"),
                get(Secret.class, ns, "chopsticks-redis-auth"),
                get(NetworkPolicy.class, ns, "chopsticks-redis"),
                get(Deployment.class, ns, "chopsticks-pgbouncer"),
                get(Service.class, ns, "chopsticks-pgbouncer"),
                get(ConfigMap.class, ns, "chopsticks-pgbouncer-config"),
                get(Secret.class, ns, "chopsticks-pgbouncer-auth"),
                get(NetworkPolicy.class, ns, "chopsticks-pgbouncer"),
                get(NetworkPolicy.class, ns, "chopsticks-shards"),
                get(NetworkPolicy.class, ns, "chopsticks-dashboard"),
                get(NetworkPolicy.class, ns, "chopsticks-migrations"),
                get(Deployment.class, ns, "chopsticks-dashboard"),
                get(Service.class, ns, "chopsticks-dashboard"),
                get(ConfigMap.class, ns, "chopsticks-generation"),
                h.jobs(ns).get(0))) {
            assertOwnedByCluster(r, cluster);
        }
        assertThat(get(ConfigMap.class, ns, "chopsticks-generation").getData())
                .containsExactly(Map.entry("active-generation", "1"));
        var role = get(Role.class, ns, "chopsticks-bot");
        assertThat(role.getRules()).hasSize(3);
        assertThat(role.getRules().get(2).getResourceNames()).containsExactly("chopsticks-generation");
        assertThat(role.getRules().get(1).getResources()).containsExactly("shards/status");
        assertThat(role.getRules().get(1).getVerbs()).containsExactly("get", "patch");
        assertThat(get(ConfigMap.class, ns, "chopsticks-pgbouncer-config")
                        .getData()
                        .get("pgbouncer.ini"))
                .contains("pool_mode = transaction", "default_pool_size = 25");
        assertThat(get(Deployment.class, ns, "chopsticks-pgbouncer").getSpec().getReplicas())
                .isEqualTo(2);
        assertThat(get(Deployment.class, ns, "chopsticks-dashboard")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getArgs())
                .containsExactly("dashboard");

        await().atMost(TIMEOUT)
                .until(() -> h.client
                                .genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
                                .inNamespace(ns)
                                .withName("chopsticks-shards")
                                .get()
                        != null);
        GenericKubernetesResource sm = h.client
                .genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
                .inNamespace(ns)
                .withName("chopsticks-shards")
                .get();
        assertOwnedByCluster(sm, cluster);
        assertThat(Serialization.asJson(sm.getAdditionalProperties().get("spec")))
                .contains("\"/metrics\"");

        // Shard objects with the pod side of the status
        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<Shard> shards = shards(ns);
            assertThat(shards).hasSize(8);
            assertThat(shards).allSatisfy(s -> {
                assertThat(s.getStatus()).isNotNull();
                assertThat(s.getStatus().shard()).isEqualTo(s.getSpec().shardId() + "/8");
                assertThat(s.getStatus().pod())
                        .isEqualTo("chopsticks-shards-" + s.getSpec().shardId());
                assertThat(s.getStatus().restarts()).isZero();
            });
        });
        Shard three = get(Shard.class, ns, "chopsticks-3");
        assertOwnedByCluster(three, cluster);
        assertThat(three.getMetadata().getLabels())
                .containsEntry(Labels.CLUSTER, NAME)
                .containsEntry(Labels.SHARD_ID, "3")
                .containsEntry(Labels.SHARD_COUNT, "8")
                .containsEntry(Labels.GENERATION, "1");
        assertThat(three.getMetadata().getManagedFields()).anySatisfy(m -> {
            assertThat(m.getManager()).isEqualTo(ShardStatusSync.FIELD_MANAGER);
            assertThat(m.getSubresource()).isEqualTo("status");
        });

        // status
        await().atMost(TIMEOUT).untilAsserted(() -> {
            var status = h.get(ns, NAME).getStatus();
            assertThat(status).isNotNull();
            assertThat(status.observedGeneration())
                    .isEqualTo(h.get(ns, NAME).getMetadata().getGeneration());
            assertThat(status.shards()).isEqualTo(8);
            assertThat(status.readyShards()).isZero();
            assertThat(status.phase()).isEqualTo(ClusterPhase.Progressing);
            assertThat(status.conditions())
                    .extracting(StatusCondition::type)
                    .containsExactly("Ready", "Progressing", "Degraded");
        });
        assertThat(events(ns, "ShardsPlanned")).isNotEmpty();
        assertThat(events(ns, "MigrationStarted")).isNotEmpty();

        // no secret value anywhere the operator wrote outside the two auth Secrets
        String everything = Serialization.asJson(List.of(
                sts,
                get(Deployment.class, ns, "chopsticks-pgbouncer"),
                get(Deployment.class, ns, "chopsticks-dashboard"),
                h.jobs(ns),
                h.get(ns, NAME),
                h.client.v1().events().inNamespace(ns).list().getItems(),
                get(ConfigMap.class, ns, "chopsticks-pgbouncer-config")));
        assertThat(everything)
                .doesNotContain(PG_PASSWORD)
                .doesNotContain(DISCORD_TOKEN)
                .doesNotContain(ADMIN_TOKEN);
    }

    /**
     * A new shard count is a new shard generation. With no shard Ready (no bots here) there is nothing to keep
     * serving, so the new generation takes over at once and the old one is retired (the zero-downtime path, where
     * the old generation serves until the new one is Ready, is RolloutIT's).
     */
    @Test
    void shardObjectsAndReplicasFollowTheGuildCount() {
        String ns = deploy(spec(16_000));
        await().atMost(TIMEOUT).until(() -> shards(ns).size() == 8);

        patchSpec(ns, withGuilds(spec(16_000), 24_000));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            StatefulSet g2 = get(StatefulSet.class, ns, "chopsticks-shards-g2");
            assertThat(g2).isNotNull();
            assertThat(g2.getSpec().getReplicas()).isEqualTo(12);
            assertThat(statefulSet(ns)).as("generation 1 retired").isNull();
            List<Shard> shards = shards(ns);
            assertThat(shards).hasSize(12);
            assertThat(shards).allSatisfy(s -> {
                assertThat(s.getMetadata().getName()).startsWith("chopsticks-g2-");
                assertThat(s.getSpec().shardCount()).isEqualTo(12);
                assertThat(s.getSpec().generation()).isEqualTo(2);
                assertThat(s.getMetadata().getLabels())
                        .containsEntry(Labels.SHARD_COUNT, "12")
                        .containsEntry(Labels.GENERATION, "2");
                assertThat(s.getStatus())
                        .isNotNull()
                        .satisfies(st ->
                                assertThat(st.shard()).isEqualTo(s.getSpec().shardId() + "/12"));
            });
            assertThat(h.get(ns, NAME).getStatus().shards()).isEqualTo(12);
            assertThat(h.get(ns, NAME).getStatus().rollout().activeGeneration()).isEqualTo(2);
            assertThat(get(ConfigMap.class, ns, "chopsticks-generation").getData())
                    .containsEntry("active-generation", "2");
        });
        assertThat(events(ns, "ShardsScaled"))
                .anySatisfy(e -> assertThat(e.getMessage()).contains("8 -> 12"));
        assertThat(events(ns, "ReshardSwitched"))
                .anySatisfy(e -> assertThat(e.getMessage()).contains("no Ready shard"));

        patchSpec(ns, withGuilds(spec(16_000), 16_000));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            // an assertion, not a NullPointerException, while generation 3 does not exist yet (untilAsserted retries
            // only assertions)
            StatefulSet g3 = get(StatefulSet.class, ns, "chopsticks-shards-g3");
            assertThat(g3).isNotNull();
            assertThat(g3.getSpec().getReplicas()).isEqualTo(8);
            assertThat(get(StatefulSet.class, ns, "chopsticks-shards-g2")).isNull();
            assertThat(shards(ns))
                    .hasSize(8)
                    .allSatisfy(s -> assertThat(s.getSpec().shardCount()).isEqualTo(8));
            assertThat(get(Shard.class, ns, "chopsticks-g2-11")).isNull();
        });
    }

    @Test
    void reconcilingAnUnchangedClusterWritesNothing() {
        String ns = deploy(withDashboard(spec(16_000)));
        await().atMost(TIMEOUT)
                .until(() -> shards(ns).size() == 8
                        && shards(ns).stream()
                                .allMatch(s ->
                                        s.getStatus() != null && s.getStatus().pod() != null));
        h.awaitQuiet(Duration.ofSeconds(3), TIMEOUT);

        for (int round = 0; round < 2; round++) {
            long writes = h.requests.writes();
            List<String> before = h.requests.recentWrites();
            long reconciles = h.metrics.reconciles();
            int poke = round;
            // poke a watched input without changing it for the operator: a label on the referenced Secret
            h.client.secrets().inNamespace(ns).withName(PG_SECRET).edit(s -> {
                var labels = new HashMap<String, String>(
                        s.getMetadata().getLabels() == null
                                ? Map.of()
                                : s.getMetadata().getLabels());
                labels.put("poke", Integer.toString(poke));
                s.getMetadata().setLabels(labels);
                return s;
            });
            await().atMost(TIMEOUT).until(() -> h.metrics.reconciles() > reconciles);
            h.awaitQuiet(Duration.ofSeconds(2), TIMEOUT);
            List<String> after = h.requests.recentWrites();
            assertThat(h.requests.writes())
                    .as(
                            "writes during a no-op reconcile: %s",
                            after.subList(Math.min(before.size(), after.size()), after.size()))
                    .isEqualTo(writes);
        }
    }

    @Test
    void aFreshlyStartedOperatorFindsNothingToWrite() {
        String ns = deploy(withDashboard(spec(16_000)));
        await().atMost(TIMEOUT)
                .until(() -> shards(ns).size() == 8
                        && shards(ns).stream()
                                .allMatch(s ->
                                        s.getStatus() != null && s.getStatus().pod() != null));
        h.awaitQuiet(Duration.ofSeconds(3), TIMEOUT);

        // a second operator (think: the standby after a failover), with empty caches and memory, on this namespace
        var requests = new ApiRequestCounter();
        var metrics = new OperatorMetrics(new SimpleMeterRegistry(), requests);
        try (var client = ClusterReading.clientBuilder()
                        .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(ApiRequestCounter.NAME, requests))
                        .build();
                var second = new ChopsticksOperator(
                        client,
                        new OperatorConfig(
                                Set.of(ns),
                                0,
                                false,
                                "x",
                                Optional.empty(),
                                Optional.of("second"),
                                2,
                                Duration.ofMinutes(10)),
                        metrics)) {
            second.start();
            await().atMost(TIMEOUT).until(() -> metrics.reconciles() > 0);
            await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).until(() -> true);
            assertThat(requests.writes())
                    .as("writes of a fresh operator: %s", requests.recentWrites())
                    .isZero();
        }
    }

    @Test
    void manualEditsToOwnedResourcesAreReverted() {
        String ns = deploy(spec(16_000));
        h.client
                .configMaps()
                .inNamespace(ns)
                .withName("chopsticks-pgbouncer-config")
                .edit(cm -> {
                    cm.getData().put("pgbouncer.ini", "[pgbouncer]\npool_mode = statement\n");
                    return cm;
                });
        h.client
                .apps()
                .statefulSets()
                .inNamespace(ns)
                .withName("chopsticks-shards")
                .edit(s -> {
                    s.getSpec().setReplicas(3);
                    s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil/image:latest");
                    return s;
                });
        h.client.rbac().roles().inNamespace(ns).withName("chopsticks-bot").edit(r -> {
            r.getRules().get(0).getVerbs().add("delete");
            return r;
        });
        h.client.services().inNamespace(ns).withName("chopsticks-redis").delete();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(get(ConfigMap.class, ns, "chopsticks-pgbouncer-config")
                            .getData()
                            .get("pgbouncer.ini"))
                    .contains("pool_mode = transaction");
            StatefulSet sts = statefulSet(ns);
            assertThat(sts.getSpec().getReplicas()).isEqualTo(8);
            assertThat(sts.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo(IMAGE);
            assertThat(get(Role.class, ns, "chopsticks-bot").getRules().get(0).getVerbs())
                    .containsExactly("get");
            assertThat(get(Service.class, ns, "chopsticks-redis")).isNotNull();
        });
    }

    @Test
    void redisPasswordIsGeneratedOnceAndKept() {
        String ns = deploy(spec(16_000));
        String password =
                get(Secret.class, ns, "chopsticks-redis-auth").getData().get("password");
        assertThat(password).isNotBlank();
        patchSpec(ns, withGuilds(spec(16_000), 20_000));
        await().atMost(TIMEOUT)
                .until(() -> get(StatefulSet.class, ns, "chopsticks-shards-g2") != null
                        && get(StatefulSet.class, ns, "chopsticks-shards-g2")
                                        .getSpec()
                                        .getReplicas()
                                == 10);
        assertThat(get(Secret.class, ns, "chopsticks-redis-auth").getData().get("password"))
                .isEqualTo(password);
    }

    @Test
    void missingSecretDegradesWithAMessageAndTouchesNothing() {
        String ns = newNamespace();
        secrets(ns, discordSecret());
        h.create(ns, cluster(spec(16_000)));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            StatusCondition degraded = condition(ns, "Degraded");
            assertThat(degraded).isNotNull();
            assertThat(degraded.status()).isEqualTo("True");
            assertThat(degraded.reason()).isEqualTo("SecretMissing");
            assertThat(degraded.message()).contains("'chopsticks-db'", "not found");
            assertThat(h.get(ns, NAME).getStatus().phase()).isEqualTo(ClusterPhase.Degraded);
        });
        assertThat(events(ns, "SecretMissing"))
                .singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
        assertThat(h.jobs(ns)).isEmpty();
        assertThat(statefulSet(ns)).isNull();
        assertThat(shards(ns)).isEmpty();

        // a Secret without the password key
        h.secret(ns, secret(PG_SECRET, Map.of("host", "h", "port", "5432", "dbname", "d", "user", "u")));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(condition(ns, "Degraded").reason()).isEqualTo("SecretInvalid");
            assertThat(condition(ns, "Degraded").message()).contains("no key 'password'");
        });

        // fixing the Secret un-degrades and deploys
        h.secret(ns, pgSecret());
        completeMigration(ns);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(statefulSet(ns)).isNotNull();
            assertThat(condition(ns, "Degraded").status()).isEqualTo("False");
        });

        // losing a Secret later leaves what exists untouched, even when the spec changes meanwhile
        h.client.secrets().inNamespace(ns).withName(DISCORD_SECRET).delete();
        await().atMost(TIMEOUT)
                .until(() -> "SecretMissing".equals(condition(ns, "Degraded").reason()));
        patchSpec(ns, withGuilds(spec(16_000), 24_000));
        await().during(Duration.ofSeconds(3)).atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(statefulSet(ns).getSpec().getReplicas()).isEqualTo(8);
            assertThat(shards(ns)).hasSize(8);
        });
        assertThat(condition(ns, "Degraded").message()).contains("'discord'", "bot.discordToken");
    }

    @Test
    void connectionBudgetAbovePostgresMaxConnectionsIsRefused() {
        // Without PgBouncer the CRD's CEL rule cannot see the pod count: 50 pods x pgPool.max 5 = 250 > 200.
        var spec = withPgBouncer(spec(100_000), new PgBouncerSpec(false, null, null, null, null, null, null));
        String ns = newNamespace();
        secrets(ns, pgSecret(), discordSecret());
        h.create(ns, cluster(spec));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            StatusCondition degraded = condition(ns, "Degraded");
            assertThat(degraded).isNotNull();
            assertThat(degraded.reason()).isEqualTo("PoolBudgetExceeded");
            assertThat(degraded.message())
                    .contains(
                            "shard pods (50) x bot.pgPool.max (5) with PgBouncer disabled = 250",
                            "postgres.maxConnections (200)");
        });
        assertThat(events(ns, "PoolBudgetExceeded")).hasSize(1);
        assertThat(h.jobs(ns)).isEmpty();
    }

    @Test
    void newImageWaitsForItsMigrationAndAFailedMigrationDegrades() {
        String ns = deploy(spec(16_000));
        String firstJob = h.jobs(ns).get(0).getMetadata().getName();
        String next = IMAGE.replace("0.1.0", "0.2.0");
        patchSpec(ns, withImage(spec(16_000), next));

        String secondJob = awaitMigrationJob(ns);
        assertThat(secondJob).isNotEqualTo(firstJob);
        assertThat(get(Job.class, ns, secondJob)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo(next);
        // the shards keep the old image while the migration runs
        await().during(Duration.ofSeconds(2))
                .atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(statefulSet(ns)
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getImage())
                        .isEqualTo(IMAGE));
        assertThat(condition(ns, "Progressing").reason()).isEqualTo("MigrationRunning");

        h.failJob(ns, secondJob);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            StatusCondition degraded = condition(ns, "Degraded");
            assertThat(degraded.status()).isEqualTo("True");
            assertThat(degraded.reason()).isEqualTo("MigrationFailed");
            assertThat(degraded.message()).contains(secondJob, "BackoffLimitExceeded");
        });
        assertThat(events(ns, "MigrationFailed")).hasSize(1);
        assertThat(statefulSet(ns)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo(IMAGE);

        // a fixed image gets a fresh Job; once it succeeds the shards get the image and old Jobs go
        String fixed = IMAGE.replace("0.1.0", "0.2.1");
        patchSpec(ns, withImage(spec(16_000), fixed));
        String thirdJob = awaitMigrationJob(ns);
        h.completeJob(ns, thirdJob);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(statefulSet(ns)
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo(fixed);
            assertThat(condition(ns, "Degraded").status()).isEqualTo("False");
            assertThat(h.jobs(ns)).extracting(j -> j.getMetadata().getName()).containsExactly(thirdJob);
        });
    }

    @Test
    void shardStatusCombinesPodSideAndBotSide() {
        String ns = deploy(spec(16_000));
        await().atMost(TIMEOUT).until(() -> shards(ns).size() == 8);
        // a shard pod with restarts (no kubelet here: the test writes the pod status)
        var pod = h.client
                .pods()
                .inNamespace(ns)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("chopsticks-shards-2")
                        .withLabels(Labels.common(h.get(ns, NAME), Component.SHARD))
                        // on the StatefulSet's revision, as the StatefulSet controller would create it (else the
                        // rollout replaces it)
                        .withAnnotations(Map.of(
                                Annotations.POD_TEMPLATE_HASH, ShardStatefulSet.podTemplateHash(statefulSet(ns))))
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("bot")
                        .withImage(IMAGE)
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        pod.setStatus(new PodStatusBuilder()
                .withPhase("Running")
                .addNewContainerStatus()
                .withName("bot")
                .withImage(IMAGE)
                .withImageID("x")
                .withReady(true)
                .withRestartCount(2)
                .withStarted(true)
                .withNewState()
                .withNewRunning()
                .endRunning()
                .endState()
                .endContainerStatus()
                .build());
        h.client.pods().inNamespace(ns).resource(pod).updateStatus();
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(
                                get(Shard.class, ns, "chopsticks-2").getStatus().restarts())
                        .isEqualTo(2));

        // every bot reports Ready with its guilds, under its own field manager
        for (Shard s : shards(ns)) {
            Shard patch = new Shard(ns, s.getMetadata().getName(), null);
            patch.setStatus(new ShardStatus(
                    null,
                    ShardPhase.Ready,
                    2000,
                    40L,
                    null,
                    null,
                    "2025-01-01T00:00:00Z",
                    "2025-01-01T00:00:30Z",
                    null,
                    null));
            h.client
                    .resource(patch)
                    .subresource("status")
                    .patch(new PatchContext.Builder()
                            .withPatchType(PatchType.SERVER_SIDE_APPLY)
                            .withFieldManager("bot")
                            .withForce(true)
                            .build());
        }
        await().atMost(TIMEOUT).untilAsserted(() -> {
            var status = h.get(ns, NAME).getStatus();
            assertThat(status.readyShards()).isEqualTo(8);
            assertThat(status.guilds()).isEqualTo(16_000L);
            assertThat(status.phase()).isEqualTo(ClusterPhase.Ready);
            assertThat(condition(ns, "Ready").status()).isEqualTo("True");
        });
        Shard two = get(Shard.class, ns, "chopsticks-2");
        assertThat(two.getStatus().phase()).isEqualTo(ShardPhase.Ready);
        assertThat(two.getStatus().guilds()).isEqualTo(2000);
        assertThat(two.getStatus().pod()).isEqualTo("chopsticks-shards-2");
        assertThat(two.getStatus().shard()).isEqualTo("2/8");
        assertThat(two.getStatus().restarts()).isEqualTo(2);
    }

    /**
     * The contract test of hack/test/chart-test-metrics.txt: after reconciles of a cluster whose bots report, every
     * {@code operator} row is a metric family of the operator's Prometheus scrape, with this cluster's series; deleting
     * the cluster removes its series.
     */
    @Test
    void exportedMetricsMatchTheChartsContract() {
        String ns = deploy(spec(16_000));
        await().atMost(TIMEOUT).until(() -> shards(ns).size() == 8);
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        for (Shard s : shards(ns)) {
            Shard patch = new Shard(ns, s.getMetadata().getName(), null);
            patch.setStatus(
                    new ShardStatus(null, ShardPhase.Ready, 2000, 40L, null, null, now, now, null, null, 990, 1000));
            h.client
                    .resource(patch)
                    .subresource("status")
                    .patch(new PatchContext.Builder()
                            .withPatchType(PatchType.SERVER_SIDE_APPLY)
                            .withFieldManager("bot")
                            .withForce(true)
                            .build());
        }
        String cluster = "cluster=\"" + NAME + "\"";
        String namespace = "namespace=\"" + ns + "\"";
        await().atMost(TIMEOUT).untilAsserted(() -> {
            String scrape = scrape();
            assertThat(MetricContract.families(scrape)).containsAll(MetricContract.operatorMetrics());
            assertThat(scrape)
                    .contains("chopsticks_shard_ready{" + cluster + ",generation=\"1\"," + namespace
                            + ",shard=\"7\"} 1.0")
                    .contains("chopsticks_shard_phase{" + cluster + ",generation=\"1\"," + namespace
                            + ",phase=\"Ready\",shard=\"2\"} 1.0")
                    .contains("chopsticks_shard_guilds{" + cluster + ",generation=\"1\"," + namespace
                            + ",shard=\"0\"} 2000.0")
                    .contains("chopsticks_gateway_ping_ms{" + cluster + ",generation=\"1\"," + namespace
                            + ",shard=\"0\"} 40.0")
                    .contains("chopsticks_identify_remaining{" + cluster + "," + namespace + "} 990.0")
                    .contains("chopsticks_rollout_halted{" + cluster + "," + namespace + "} 0.0");
        });
        assertThat(MetricContract.operatorMetrics())
                .as("the contract's operator rows")
                .hasSize(6);

        h.client.resource(h.get(ns, NAME)).delete();
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(
                                scrape().lines().filter(l -> l.startsWith("chopsticks_") && l.contains(namespace)))
                        .isEmpty());
    }

    static String scrape() {
        return ((PrometheusMeterRegistry) h.metrics.registry()).scrape();
    }

    @Test
    void disablingTheDashboardRemovesIt() {
        String ns = deploy(withDashboard(spec(16_000)));
        await().atMost(TIMEOUT).until(() -> get(Deployment.class, ns, "chopsticks-dashboard") != null);
        patchSpec(ns, spec(16_000));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(get(Deployment.class, ns, "chopsticks-dashboard")).isNull();
            assertThat(get(Service.class, ns, "chopsticks-dashboard")).isNull();
        });
        assertThat(Optional.ofNullable(get(StatefulSet.class, ns, "chopsticks-shards"))
                        .map(Objects::nonNull))
                .contains(true);
    }

    /**
     * The operator's memory of what it announced is keyed by namespace and name: a cluster deleted and created again
     * under the same name is a new cluster and gets its ShardsPlanned again.
     */
    @Test
    void aClusterCreatedAgainUnderTheSameNameIsAnnouncedAgain() {
        String ns = newNamespace();
        secrets(ns, pgSecret(), discordSecret(), adminSecret());
        ChopsticksCluster first = h.create(ns, cluster(spec(16_000)));
        await().atMost(TIMEOUT).until(() -> !plannedFor(ns, first).isEmpty());
        // JOSDK drops the events of a cluster created again while the deleted one's reconcile is still running (the
        // delete is pending until it ends); this test is about the announcement memory, so delete between reconciles
        h.awaitQuiet(Duration.ofSeconds(1), TIMEOUT);
        h.client
                .resources(ChopsticksCluster.class)
                .inNamespace(ns)
                .withName(NAME)
                .delete(); // no finalizer
        await().atMost(TIMEOUT).until(() -> h.get(ns, NAME) == null);

        ChopsticksCluster second = h.create(ns, cluster(spec(16_000)));
        assertThat(second.getMetadata().getUid())
                .isNotEqualTo(first.getMetadata().getUid());
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(plannedFor(ns, second))
                        .singleElement()
                        .satisfies(e -> assertThat(e.getMessage()).startsWith("8 shards for 16000 guilds")));
        assertThat(plannedFor(ns, first)).hasSize(1);
    }

    /** The ShardsPlanned Events about this cluster object (by UID, not name). */
    static List<Event> plannedFor(String ns, ChopsticksCluster cluster) {
        return events(ns, "ShardsPlanned").stream()
                .filter(e -> cluster.getMetadata()
                        .getUid()
                        .equals(e.getInvolvedObject().getUid()))
                .toList();
    }

    @Test
    void theBotsOfOneClusterCannotWriteAnotherClustersShards() {
        String ns = deploy(spec(16_000));
        ChopsticksCluster other = cluster(spec(4_000));
        other.getMetadata().setName("other");
        h.create(ns, other);
        await().atMost(TIMEOUT).until(() -> get(Shard.class, ns, "other-0") != null);
        await().atMost(TIMEOUT).until(() -> get(Shard.class, ns, "chopsticks-0") != null);
        String bot = BotServiceAccount.desired(h.get(ns, NAME)).getMetadata().getName();
        Config asBot = new ConfigBuilder(Config.fromKubeconfig(kubeConfigYaml))
                .withImpersonateUsername("system:serviceaccount:" + ns + ":" + bot)
                .withImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated")
                .build();
        try (var client = new KubernetesClientBuilder().withConfig(asBot).build()) {
            var shards = client.resources(Shard.class).inNamespace(ns);
            // its own Shard: read and report, as the bot does
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(
                                    shards.withName("chopsticks-0").editStatus(s -> {
                                        s.setStatus(s.getStatus());
                                        return s;
                                    }))
                            .isNotNull());
            // another cluster's Shard in the same namespace: neither
            assertThatThrownBy(() -> shards.withName("other-0").get())
                    .isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode())
                            .isEqualTo(403));
            Shard foreign = new Shard();
            foreign.getMetadata().setName("other-0");
            foreign.getMetadata().setNamespace(ns);
            foreign.setStatus(get(Shard.class, ns, "other-0").getStatus());
            assertThatThrownBy(() -> client.resource(foreign)
                            .subresource("status")
                            .patch(PatchContext.of(PatchType.SERVER_SIDE_APPLY)))
                    .isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode())
                            .isEqualTo(403));
        }
    }
}
