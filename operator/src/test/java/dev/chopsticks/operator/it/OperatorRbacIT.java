package dev.chopsticks.operator.it;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.operator.ChopsticksOperator;
import dev.chopsticks.operator.bench.ApiServerFixtures;
import dev.chopsticks.operator.config.OperatorConfig;
import dev.chopsticks.operator.intake.ClusterReading;
import dev.chopsticks.operator.metrics.ApiRequestCounter;
import dev.chopsticks.operator.metrics.OperatorMetrics;
import dev.chopsticks.operator.migrations.MigrationJob;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator running as a ServiceAccount bound to exactly {@code operator/deploy/rbac.yaml} (the API server
 * enforces RBAC): a missing verb in the reference RBAC fails here.
 */
@ExtendWith(KubeApiTestBinaries.class)
@EnableKubeAPIServer
class OperatorRbacIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String SYSTEM = "chopsticks-system";
    static final String BOTS = "rbac-bots";

    @KubeConfig
    static String kubeConfigYaml;

    @Test
    void operatorWorksWithTheReferenceRbacOnly() throws Exception {
        try (KubernetesClient admin = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                .build()) {
            OperatorHarness.applyCrds(admin);
            for (String ns : List.of(SYSTEM, BOTS)) {
                admin.resource(new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(ns)
                                .endMetadata()
                                .build())
                        .serverSideApply();
            }
            admin.resource(new ServiceAccountBuilder()
                            .withNewMetadata()
                            .withName("chopsticks-operator")
                            .withNamespace(SYSTEM)
                            .endMetadata()
                            .build())
                    .serverSideApply();
            try (InputStream in = Files.newInputStream(Path.of(System.getProperty("rbac.file", "deploy/rbac.yaml")))) {
                for (HasMetadata r : admin.load(in).items()) {
                    if (r instanceof Role) {
                        r.getMetadata().setNamespace(SYSTEM);
                    }
                    admin.resource(r).serverSideApply();
                }
            }
            ClusterRole role =
                    admin.rbac().clusterRoles().withName("chopsticks-operator").get();
            assertThat(role).isNotNull();
            admin.resource(new ClusterRoleBindingBuilder()
                            .withNewMetadata()
                            .withName("chopsticks-operator")
                            .endMetadata()
                            .withNewRoleRef()
                            .withApiGroup("rbac.authorization.k8s.io")
                            .withKind("ClusterRole")
                            .withName("chopsticks-operator")
                            .endRoleRef()
                            .addNewSubject()
                            .withKind("ServiceAccount")
                            .withName("chopsticks-operator")
                            .withNamespace(SYSTEM)
                            .endSubject()
                            .build())
                    .serverSideApply();
            admin.resource(new RoleBindingBuilder()
                            .withNewMetadata()
                            .withName("chopsticks-operator-leader-election")
                            .withNamespace(SYSTEM)
                            .endMetadata()
                            .withNewRoleRef()
                            .withApiGroup("rbac.authorization.k8s.io")
                            .withKind("Role")
                            .withName("chopsticks-operator-leader-election")
                            .endRoleRef()
                            .addNewSubject()
                            .withKind("ServiceAccount")
                            .withName("chopsticks-operator")
                            .withNamespace(SYSTEM)
                            .endSubject()
                            .build())
                    .serverSideApply();
            for (var s : List.of(pgSecret(), discordSecret(), adminSecret())) {
                s.getMetadata().setNamespace(BOTS);
                admin.resource(s).serverSideApply();
            }

            String token = admin.serviceAccounts()
                    .inNamespace(SYSTEM)
                    .withName("chopsticks-operator")
                    .tokenRequest(new TokenRequestBuilder()
                            .withNewSpec()
                            .withExpirationSeconds(3600L)
                            .endSpec()
                            .build())
                    .getStatus()
                    .getToken();
            Config adminConfig = Config.fromKubeconfig(kubeConfigYaml);
            Config saConfig = new ConfigBuilder(adminConfig)
                    .withClientCertData(null)
                    .withClientKeyData(null)
                    .withClientCertFile(null)
                    .withClientKeyFile(null)
                    .withUsername(null)
                    .withPassword(null)
                    .withOauthToken(token)
                    .withNamespace(SYSTEM)
                    .build();
            try (KubernetesClient asOperator =
                            ClusterReading.clientBuilder().withConfig(saConfig).build();
                    var operator = new ChopsticksOperator(
                            asOperator,
                            new OperatorConfig(
                                    Set.of(),
                                    0,
                                    true,
                                    "chopsticks-operator",
                                    Optional.of(SYSTEM),
                                    Optional.of("rbac-it"),
                                    2,
                                    Duration.ofMinutes(10)),
                            new OperatorMetrics(new SimpleMeterRegistry(), new ApiRequestCounter()))) {
                operator.start();
                await().atMost(TIMEOUT).until(operator::isLeader);

                var cluster = cluster(withDashboard(spec(16_000)));
                cluster.getMetadata().setNamespace(BOTS);
                cluster.getMetadata().setUid(null);
                cluster = admin.resource(cluster).create();
                String job = MigrationJob.name(cluster);
                await().atMost(TIMEOUT)
                        .until(() -> admin.batch()
                                        .v1()
                                        .jobs()
                                        .inNamespace(BOTS)
                                        .withName(job)
                                        .get()
                                != null);
                ApiServerFixtures.succeedJob(admin, BOTS, job);

                await().atMost(TIMEOUT).untilAsserted(() -> {
                    assertThat(admin.apps()
                                    .statefulSets()
                                    .inNamespace(BOTS)
                                    .withName("chopsticks-shards")
                                    .get())
                            .isNotNull();
                    assertThat(admin.apps()
                                    .deployments()
                                    .inNamespace(BOTS)
                                    .withName("chopsticks-dashboard")
                                    .get())
                            .isNotNull();
                    assertThat(admin.rbac()
                                    .roles()
                                    .inNamespace(BOTS)
                                    .withName("chopsticks-bot")
                                    .get())
                            .isNotNull();
                    List<Shard> shards = admin.resources(Shard.class)
                            .inNamespace(BOTS)
                            .list()
                            .getItems();
                    assertThat(shards)
                            .hasSize(8)
                            .allSatisfy(s -> assertThat(s.getStatus()).isNotNull());
                    var status = admin.resources(ChopsticksCluster.class)
                            .inNamespace(BOTS)
                            .withName(NAME)
                            .get()
                            .getStatus();
                    assertThat(status).isNotNull();
                    assertThat(status.shards()).isEqualTo(8);
                    assertThat(admin.v1().events().inNamespace(BOTS).list().getItems())
                            .isNotEmpty();
                });

                // scaling down deletes Shards; disabling the dashboard deletes its Deployment
                var smaller = withGuilds(spec(16_000), 8_000);
                admin.resources(ChopsticksCluster.class)
                        .inNamespace(BOTS)
                        .withName(NAME)
                        .edit(c -> {
                            c.setSpec(smaller);
                            return c;
                        });
                await().atMost(TIMEOUT).untilAsserted(() -> {
                    assertThat(admin.resources(Shard.class)
                                    .inNamespace(BOTS)
                                    .list()
                                    .getItems())
                            .hasSize(4);
                    assertThat(admin.apps()
                                    .deployments()
                                    .inNamespace(BOTS)
                                    .withName("chopsticks-dashboard")
                                    .get())
                            .isNull();
                });
                assertThat(operator.isHealthy()).isTrue();
                // still leading after several Lease renewals (renew deadline 10 s)
                await().during(Duration.ofSeconds(12)).atMost(TIMEOUT).until(operator::isLeader);
            }
        }
    }
}
