package dev.chopsticks.operator.intake;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.ResolvableDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a ChopsticksCluster with the standard bean deserializer and, when that fails, keeps what can be read: the
 * metadata always (the API server validates it), the spec and the status each only if it deserializes, else null. An
 * object the operator's types cannot hold (an {@code Integer} field with 3000000000, written while the CRD's schema
 * was relaxed or older than the operator) then reaches the reconciler as a cluster without a spec instead of
 * failing the informer, which would stop the operator for every cluster. The reconciler reports it
 * ({@link UnreadableCluster}); this class only logs at debug level, since clones of the object pass through it too.
 */
final class TolerantClusterDeserializer extends StdDeserializer<ChopsticksCluster> implements ResolvableDeserializer {
    private static final Logger LOG = LoggerFactory.getLogger(TolerantClusterDeserializer.class);

    private final JsonDeserializer<?> standard;

    TolerantClusterDeserializer(JsonDeserializer<?> standard) {
        super(ChopsticksCluster.class);
        this.standard = standard;
    }

    @Override
    public void resolve(DeserializationContext ctxt) throws JsonMappingException {
        if (standard instanceof ResolvableDeserializer r) {
            r.resolve(ctxt);
        }
    }

    @Override
    public ChopsticksCluster deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode tree = ctxt.readTree(p);
        try (JsonParser whole = tree.traverse(p.getCodec())) {
            whole.nextToken();
            return (ChopsticksCluster) standard.deserialize(whole, ctxt);
        } catch (IOException | IllegalArgumentException e) {
            return partial(tree, ctxt, e);
        }
    }

    private static ChopsticksCluster partial(JsonNode tree, DeserializationContext ctxt, Exception cause)
            throws IOException {
        ChopsticksCluster cluster = new ChopsticksCluster();
        // metadata is validated by the API server; if even it cannot be read, the failure is the informer's
        cluster.setMetadata(ctxt.readTreeAsValue(tree.path("metadata"), ObjectMeta.class));
        cluster.setSpec(readOrNull(tree.get("spec"), ChopsticksClusterSpec.class, ctxt));
        cluster.setStatus(readOrNull(tree.get("status"), ChopsticksClusterStatus.class, ctxt));
        LOG.debug(
                "cluster {}/{} read without what failed: {}",
                cluster.getMetadata().getNamespace(),
                cluster.getMetadata().getName(),
                cause.getClass().getSimpleName());
        return cluster;
    }

    private static <T> T readOrNull(JsonNode node, Class<T> type, DeserializationContext ctxt) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return ctxt.readTreeAsValue(node, type);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
