package dev.chopsticks.operator.intake;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The operator's serialization: Fabric8's, plus {@link TolerantClusterDeserializer} for ChopsticksCluster, so that
 * one object the Java types cannot hold affects only itself. Every client the operator runs on is built with
 * {@link #clientBuilder()}; {@code ChopsticksOperator} refuses a client that is not ({@link #tolerates}).
 */
public final class ClusterReading {
    /** A cluster whose {@code sharding.shards} does not fit an {@code Integer}. */
    private static final String PROBE = "{\"apiVersion\":\"chopsticks.dev/v1alpha1\",\"kind\":\"ChopsticksCluster\","
            + "\"metadata\":{\"name\":\"probe\"},\"spec\":{\"guilds\":1,\"sharding\":{\"shards\":3000000000}}}";

    private ClusterReading() {}

    public static KubernetesSerialization serialization() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new SimpleModule("chopsticks-tolerant-cluster").setDeserializerModifier(new Modifier()));
        return new KubernetesSerialization(mapper, true);
    }

    /** A client builder with {@link #serialization()}. */
    public static KubernetesClientBuilder clientBuilder() {
        return new KubernetesClientBuilder().withKubernetesSerialization(serialization());
    }

    /** Whether an unreadable cluster read with this serialization comes out without a spec instead of failing. */
    public static boolean tolerates(KubernetesSerialization serialization) {
        try {
            return serialization.unmarshal(PROBE, ChopsticksCluster.class).getSpec() == null;
        } catch (KubernetesClientException | IllegalArgumentException e) {
            return false;
        }
    }

    private static final class Modifier extends BeanDeserializerModifier {
        @Override
        public JsonDeserializer<?> modifyDeserializer(
                DeserializationConfig config, BeanDescription description, JsonDeserializer<?> deserializer) {
            return description.getBeanClass() == ChopsticksCluster.class
                    ? new TolerantClusterDeserializer(deserializer)
                    : deserializer;
        }
    }
}
