package dev.chopsticks.operator.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ClusterPhase;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the informer's list and watch do with the JSON the API server sends, without and with the tolerant reading. */
class ClusterReadingTest {
    static final String POISONED = """
            {"apiVersion":"chopsticks.dev/v1alpha1","kind":"ChopsticksCluster",
             "metadata":{"name":"poisoned","namespace":"bots","uid":"u-1","resourceVersion":"7","generation":2},
             "spec":{"guilds":16000,"sharding":{"shards":3000000000},
                     "bot":{"image":"ghcr.io/chopsticks/bot-runtime:0.1.0","discordToken":{"name":"d","key":"t"}},
                     "postgres":{"connectionSecret":"db"}},
             "status":{"phase":"Ready","shards":8}}""";
    static final String HEALTHY = POISONED.replace("3000000000", "8").replace("poisoned", "healthy");
    static final String LIST = "{\"apiVersion\":\"chopsticks.dev/v1alpha1\",\"kind\":\"ChopsticksClusterList\","
            + "\"metadata\":{\"resourceVersion\":\"9\"},\"items\":[" + POISONED + "," + HEALTHY + "]}";

    final KubernetesSerialization tolerant = ClusterReading.serialization();

    @Test
    void fabric8sOwnSerializationFailsOnTheWholeObject() {
        // this is what stopped the informer, and with it the operator, for every cluster
        assertThatThrownBy(() -> new KubernetesSerialization().unmarshal(POISONED, ChopsticksCluster.class))
                .hasStackTraceContaining("3000000000")
                .hasStackTraceContaining("out of range of `java.lang.Integer`");
        assertThat(ClusterReading.tolerates(new KubernetesSerialization())).isFalse();
    }

    @Test
    void anUnreadableSpecComesOutAsNullWithMetadataAndStatusKept() {
        ChopsticksCluster c = tolerant.unmarshal(POISONED, ChopsticksCluster.class);
        assertThat(c.getSpec()).isNull();
        assertThat(c.getMetadata().getName()).isEqualTo("poisoned");
        assertThat(c.getMetadata().getNamespace()).isEqualTo("bots");
        assertThat(c.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(c.getStatus().phase()).isEqualTo(ClusterPhase.Ready);
        assertThat(c.getKind()).isEqualTo("ChopsticksCluster");
        assertThat(c.getApiVersion()).isEqualTo("chopsticks.dev/v1alpha1");
        assertThat(ClusterReading.tolerates(tolerant)).isTrue();
    }

    @Test
    void aReadableClusterIsReadAsBefore() {
        ChopsticksCluster c = tolerant.unmarshal(HEALTHY, ChopsticksCluster.class);
        assertThat(c.getSpec().sharding().shards()).isEqualTo(8);
        assertThat(c.getSpec().sharding().guildsPerShard()).isEqualTo(2000);
        assertThat(c).isEqualTo(new KubernetesSerialization().unmarshal(HEALTHY, ChopsticksCluster.class));
    }

    @Test
    void oneUnreadableItemDoesNotFailTheList() {
        KubernetesResourceList<ChopsticksCluster> list = tolerant.unmarshal(
                new ByteArrayInputStream(LIST.getBytes(StandardCharsets.UTF_8)),
                new TypeReference<DefaultKubernetesResourceList<ChopsticksCluster>>() {});
        assertThat(list.getItems()).hasSize(2);
        assertThat(list.getItems().get(0).getSpec()).isNull();
        assertThat(list.getItems().get(1).getSpec().sharding().shards()).isEqualTo(8);
    }

    @Test
    void aCloneOfAnUnreadableClusterStaysWithoutSpec() {
        ChopsticksCluster c = tolerant.unmarshal(POISONED, ChopsticksCluster.class);
        ChopsticksCluster clone = tolerant.clone(c);
        assertThat(clone.getSpec()).isNull();
        assertThat(clone.getMetadata()).isEqualTo(c.getMetadata());
    }

    @Test
    void theReasonNamesTheFieldAndWhatIsWrong() {
        GenericKubernetesResource raw = tolerant.unmarshal(POISONED, GenericKubernetesResource.class);
        assertThat(UnreadableCluster.describe(raw))
                .startsWith("spec.sharding.shards cannot be read: ")
                .contains("3000000000", "out of range of `java.lang.Integer`");
        String wrongType = POISONED.replace("3000000000", "\"many\"");
        assertThat(UnreadableCluster.describe(tolerant.unmarshal(wrongType, GenericKubernetesResource.class)))
                .startsWith(
                        "spec.sharding.shards cannot be read: Cannot deserialize value of type `java.lang.Integer`");
        String noSpec = "{\"apiVersion\":\"chopsticks.dev/v1alpha1\",\"kind\":\"ChopsticksCluster\","
                + "\"metadata\":{\"name\":\"x\"}}";
        assertThat(UnreadableCluster.describe(tolerant.unmarshal(noSpec, GenericKubernetesResource.class)))
                .isEqualTo("spec is missing");
    }
}
