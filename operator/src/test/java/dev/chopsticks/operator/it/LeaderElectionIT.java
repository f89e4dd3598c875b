package dev.chopsticks.operator.it;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.operator.ChopsticksOperator;
import dev.chopsticks.operator.config.OperatorConfig;
import dev.chopsticks.operator.intake.ClusterReading;
import dev.chopsticks.operator.metrics.ApiRequestCounter;
import dev.chopsticks.operator.metrics.OperatorMetrics;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two replicas, one Lease: exactly one reconciles; when it goes, the other takes over. */
@ExtendWith(KubeApiTestBinaries.class)
@EnableKubeAPIServer
class LeaderElectionIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @KubeConfig
    static String kubeConfigYaml;

    record Replica(KubernetesClient client, ChopsticksOperator operator, OperatorMetrics metrics) {
        void close() {
            operator.close();
            client.close();
        }
    }

    static Replica replica(String identity) {
        KubernetesClient client = ClusterReading.clientBuilder()
                .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                .build();
        var metrics = new OperatorMetrics(new SimpleMeterRegistry(), new ApiRequestCounter());
        var config = new OperatorConfig(
                Set.of("le-bots"),
                0,
                true,
                "chopsticks-operator",
                Optional.of("chopsticks-system"),
                Optional.of(identity),
                2,
                Duration.ofMinutes(10));
        var operator = new ChopsticksOperator(client, config, metrics);
        operator.start();
        return new Replica(client, operator, metrics);
    }

    @Test
    void oneActiveReplicaAndFailover() {
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                .build()) {
            OperatorHarness.applyCrds(client);
            for (String ns : List.of("chopsticks-system", "le-bots")) {
                client.resource(new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(ns)
                                .endMetadata()
                                .build())
                        .serverSideApply();
            }
            for (var s : List.of(pgSecret(), discordSecret())) {
                s.getMetadata().setNamespace("le-bots");
                client.resource(s).serverSideApply();
            }
            Replica a = replica("op-a");
            Replica b = replica("op-b");
            try {
                await().atMost(TIMEOUT)
                        .until(() -> a.operator().isLeader() || b.operator().isLeader());
                Replica leader = a.operator().isLeader() ? a : b;
                Replica standby = leader == a ? b : a;
                assertThat(standby.operator().isLeader()).isFalse();
                assertThat(standby.operator().isStarted())
                        .as("a standby is started (and ready)")
                        .isTrue();
                Lease lease = client.leases()
                        .inNamespace("chopsticks-system")
                        .withName("chopsticks-operator")
                        .get();
                assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(leader == a ? "op-a" : "op-b");

                var cluster = cluster(spec(16_000));
                cluster.getMetadata().setNamespace("le-bots");
                cluster.getMetadata().setUid(null);
                client.resource(cluster).create();
                await().atMost(TIMEOUT)
                        .until(() -> !client.batch()
                                .v1()
                                .jobs()
                                .inNamespace("le-bots")
                                .list()
                                .getItems()
                                .isEmpty());
                await().atMost(TIMEOUT).until(() -> leader.metrics().reconciles() > 0);
                assertThat(standby.metrics().reconciles())
                        .as("the standby never reconciles")
                        .isZero();

                leader.close();
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> standby.operator().isLeader());
                long before = standby.metrics().reconciles();
                client.secrets().inNamespace("le-bots").withName(PG_SECRET).edit(s -> {
                    s.getMetadata().setLabels(Map.of("poke", "1"));
                    return s;
                });
                await().atMost(TIMEOUT).until(() -> standby.metrics().reconciles() > before);
            } finally {
                a.close();
                b.close();
            }
        }
    }
}
