package dev.chopsticks.operator.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardPhase;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tolerant reading of Shards (the bots write their status), and which unreadable ones are reported. */
class ShardReadingTest {
    static final String STATUS_WRITTEN = "\"managedFields\":[{\"manager\":\"chopsticks-bot\","
            + "\"operation\":\"Apply\",\"subresource\":\"status\",\"fieldsType\":\"FieldsV1\"}]";
    static final String POISONED = """
            {"apiVersion":"chopsticks.dev/v1alpha1","kind":"Shard",
             "metadata":{"name":"chopsticks-3","namespace":"bots","resourceVersion":"7",
                         "labels":{"chopsticks.dev/cluster":"chopsticks"},%s},
             "spec":{"cluster":"chopsticks","shardId":3,"shardCount":8,"generation":1},
             "status":{"shard":"3/8","phase":"Ready","guilds":3000000000,"pod":"chopsticks-shards-3"}}""".formatted(STATUS_WRITTEN);
    static final String HEALTHY = POISONED.replace("3000000000", "1000").replace("chopsticks-3\"", "chopsticks-4\"");
    static final String BAD_SPEC = HEALTHY.replace("\"shardId\":3", "\"shardId\":\"three\"");
    static final String FRESH = """
            {"apiVersion":"chopsticks.dev/v1alpha1","kind":"Shard","metadata":{"name":"chopsticks-5"},
             "spec":{"cluster":"chopsticks","shardId":5,"shardCount":8}}""";

    final KubernetesSerialization tolerant = ClusterReading.serialization();

    Shard read(String json) {
        return tolerant.unmarshal(json, Shard.class);
    }

    @Test
    void fabric8sOwnSerializationFailsOnTheWholeShard() {
        // this is what stopped the Shard informer, and with it the operator, for every cluster
        assertThatThrownBy(() -> new KubernetesSerialization().unmarshal(POISONED, Shard.class))
                .hasStackTraceContaining("out of range of `java.lang.Integer`");
    }

    @Test
    void anUnreadableStatusComesOutAsNullWithMetadataAndSpecKept() {
        Shard s = read(POISONED);
        assertThat(s.getStatus()).isNull();
        assertThat(s.getSpec().shardId()).isEqualTo(3);
        assertThat(s.getMetadata().getName()).isEqualTo("chopsticks-3");
        assertThat(s.getMetadata().getLabels()).containsEntry("chopsticks.dev/cluster", "chopsticks");
        assertThat(s.getMetadata().getManagedFields())
                .singleElement()
                .satisfies(m -> assertThat(m.getSubresource()).isEqualTo("status"));
        assertThat(s.getKind()).isEqualTo("Shard");
        assertThat(s.getApiVersion()).isEqualTo("chopsticks.dev/v1alpha1");
    }

    @Test
    void anUnreadableSpecComesOutAsNullWithStatusKept() {
        Shard s = read(BAD_SPEC);
        assertThat(s.getSpec()).isNull();
        assertThat(s.getStatus().phase()).isEqualTo(ShardPhase.Ready);
        assertThat(s.getStatus().guilds()).isEqualTo(1000);
    }

    @Test
    void aReadableShardIsReadAsBefore() {
        Shard s = read(HEALTHY);
        assertThat(s.getStatus().guilds()).isEqualTo(1000);
        assertThat(s).isEqualTo(new KubernetesSerialization().unmarshal(HEALTHY, Shard.class));
    }

    @Test
    void oneUnreadableItemDoesNotFailTheListAndACloneStaysWithoutStatus() {
        String list = "{\"apiVersion\":\"chopsticks.dev/v1alpha1\",\"kind\":\"ShardList\","
                + "\"metadata\":{\"resourceVersion\":\"9\"},\"items\":[" + POISONED + "," + HEALTHY + "]}";
        KubernetesResourceList<Shard> shards = tolerant.unmarshal(
                new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8)),
                new TypeReference<DefaultKubernetesResourceList<Shard>>() {});
        assertThat(shards.getItems())
                .extracting(Shard::getStatus)
                .hasSize(2)
                .first()
                .isNull();
        assertThat(shards.getItems().get(1).getStatus().guilds()).isEqualTo(1000);
        Shard clone = tolerant.clone(shards.getItems().get(0));
        assertThat(clone.getStatus()).isNull();
        assertThat(clone.getMetadata()).isEqualTo(shards.getItems().get(0).getMetadata());
    }

    @Test
    void theToleranceProbeCoversShards() {
        assertThat(ClusterReading.tolerates(tolerant)).isTrue();
        assertThat(ClusterReading.tolerates(new KubernetesSerialization())).isFalse();
    }

    @Test
    void onlyAWrittenStatusThatCouldNotBeReadIsReported() {
        // a fresh Shard has no status yet; a bad spec is the operator's to write again
        assertThat(UnreadableShards.names(List.of(read(FRESH), read(POISONED), read(HEALTHY), read(BAD_SPEC))))
                .containsExactly("chopsticks-3");
    }

    @Test
    void theReasonNamesTheFieldAndWhatIsWrong() {
        assertThat(UnreadableShards.describe(tolerant.unmarshal(POISONED, GenericKubernetesResource.class)))
                .startsWith("status.guilds cannot be read: ")
                .contains("3000000000", "out of range of `java.lang.Integer`");
        String wrongType = POISONED.replace("3000000000", "\"many\"");
        assertThat(UnreadableShards.describe(tolerant.unmarshal(wrongType, GenericKubernetesResource.class)))
                .startsWith("status.guilds cannot be read: Cannot deserialize value of type `java.lang.Integer`");
        assertThat(UnreadableShards.describe(tolerant.unmarshal(HEALTHY, GenericKubernetesResource.class)))
                .isEqualTo("status could not be read when the operator received it");
    }

    @Test
    void theMessageNamesTheShards() {
        assertThat(UnreadableShards.message(List.of("a-3"), "why")).isEqualTo("shard a-3: why");
        assertThat(UnreadableShards.message(List.of("a-1", "a-2", "a-3", "a-4", "a-5", "a-6", "a-7"), "why"))
                .isEqualTo("7 shards (a-1, a-2, a-3, a-4, a-5 and 2 more); a-1: why");
    }
}
