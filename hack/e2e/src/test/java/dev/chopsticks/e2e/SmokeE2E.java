package dev.chopsticks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.BotSpec;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.PostgresSpec;
import dev.chopsticks.api.v1alpha1.SecretKeyRef;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** First e2e scenario: the cluster is healthy, the CRDs install and a sample ChopsticksCluster is accepted. */
@Tag("e2e")
class SmokeE2E {
    private static final String NS = "e2e-smoke";
    private static KubernetesClient client;

    @BeforeAll
    static void setUp() throws Exception {
        client = E2eCluster.connect();
        E2eCluster.installCrds(client);
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .serverSideApply();
    }

    @AfterAll
    static void tearDown() {
        if (client != null) {
            client.namespaces().withName(NS).delete();
            client.close();
        }
    }

    @Test
    void clusterHasReadyNodes() {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(client.nodes().list().getItems())
                        .isNotEmpty()
                        .allSatisfy(SmokeE2E::assertReady));
    }

    private static void assertReady(Node node) {
        assertThat(node.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
        });
    }

    @Test
    void sampleClusterIsAccepted() {
        ChopsticksCluster sample = new ChopsticksCluster(
                NS,
                "sample",
                new ChopsticksClusterSpec(
                        16000L,
                        null,
                        new BotSpec(
                                "chopsticks/bot-runtime:e2e",
                                new SecretKeyRef("discord", "token"),
                                null,
                                null,
                                null,
                                null,
                                null,
                                null),
                        null,
                        null,
                        new PostgresSpec("chopsticks-db", null),
                        null,
                        null));
        client.resource(sample).serverSideApply();

        ChopsticksCluster stored = client.resources(ChopsticksCluster.class)
                .inNamespace(NS)
                .withName("sample")
                .get();
        assertThat(stored.getSpec().guilds()).isEqualTo(16000L);
        assertThat(stored.getSpec().sharding().guildsPerShard()).isEqualTo(2000);
        assertThat(stored.getMetadata().getUid()).isNotBlank();
    }
}
