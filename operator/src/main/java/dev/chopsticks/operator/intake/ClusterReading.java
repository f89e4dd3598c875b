package dev.chopsticks.operator.intake;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterStatus;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardSpec;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The operator's serialization: Fabric8's, plus {@link TolerantDeserializer} for ChopsticksCluster and Shard (the
 * custom resources written by others: users, bots), so that one object the Java types cannot hold affects only
 * itself. Every client the operator runs on is built with {@link #clientBuilder()}; {@code ChopsticksOperator}
 * refuses a client that is not ({@link #tolerates}).
 */
public final class ClusterReading {
    /** A cluster whose {@code sharding.shards} does not fit an {@code Integer}. */
    private static final String CLUSTER_PROBE = "{\"apiVersion\":\"chopsticks.dev/v1alpha1\","
            + "\"kind\":\"ChopsticksCluster\",\"metadata\":{\"name\":\"probe\"},"
            + "\"spec\":{\"guilds\":1,\"sharding\":{\"shards\":3000000000}}}";
    /** A Shard whose {@code status.guilds} does not fit an {@code Integer}. */
    private static final String SHARD_PROBE = "{\"apiVersion\":\"chopsticks.dev/v1alpha1\",\"kind\":\"Shard\","
            + "\"metadata\":{\"name\":\"probe\"},\"status\":{\"guilds\":3000000000}}";

    /** The tolerant deserializer of each type, around the standard one. */
    private static final Map<Class<?>, UnaryOperator<JsonDeserializer<?>>> TOLERANT = Map.of(
            ChopsticksCluster.class,
            standard -> new TolerantDeserializer<>(
                    ChopsticksCluster.class,
                    ChopsticksCluster::new,
                    ChopsticksClusterSpec.class,
                    ChopsticksClusterStatus.class,
                    standard),
            Shard.class,
            standard ->
                    new TolerantDeserializer<>(Shard.class, Shard::new, ShardSpec.class, ShardStatus.class, standard));

    private ClusterReading() {}

    public static KubernetesSerialization serialization() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(module());
        return new KubernetesSerialization(mapper, true);
    }

    /** The Jackson module of {@link #serialization()} (tests add fault injection next to it). */
    public static Module module() {
        return new SimpleModule("chopsticks-tolerant-reading").setDeserializerModifier(new Modifier());
    }

    /** A client builder with {@link #serialization()}. */
    public static KubernetesClientBuilder clientBuilder() {
        return new KubernetesClientBuilder().withKubernetesSerialization(serialization());
    }

    /** Whether unreadable objects read with this serialization come out without the unreadable part. */
    public static boolean tolerates(KubernetesSerialization serialization) {
        try {
            return serialization
                                    .unmarshal(CLUSTER_PROBE, ChopsticksCluster.class)
                                    .getSpec()
                            == null
                    && serialization.unmarshal(SHARD_PROBE, Shard.class).getStatus() == null;
        } catch (KubernetesClientException | IllegalArgumentException e) {
            return false;
        }
    }

    private static final class Modifier extends BeanDeserializerModifier {
        @Override
        public JsonDeserializer<?> modifyDeserializer(
                DeserializationConfig config, BeanDescription description, JsonDeserializer<?> deserializer) {
            var tolerant = TOLERANT.get(description.getBeanClass());
            return tolerant == null ? deserializer : tolerant.apply(deserializer);
        }
    }
}
