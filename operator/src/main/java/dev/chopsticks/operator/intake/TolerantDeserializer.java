package dev.chopsticks.operator.intake;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.ResolvableDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a custom resource (ChopsticksCluster, Shard) with the standard bean deserializer and, when that fails, keeps
 * what can be read: the metadata always (the API server validates it), the spec and the status each only if it
 * deserializes, else null. An object the operator's types cannot hold (an {@code Integer} field with 3000000000,
 * written while the CRD's schema was relaxed or older than the operator) then reaches the operator without that part
 * instead of failing the informer, which would stop the operator for every cluster. What the operator does with such
 * an object is decided where it is used ({@link UnreadableCluster}, {@link UnreadableShards}); this class only logs at
 * debug level, since clones of the object pass through it too.
 */
final class TolerantDeserializer<S, T, R extends CustomResource<S, T>> extends StdDeserializer<R>
        implements ResolvableDeserializer {
    private static final Logger LOG = LoggerFactory.getLogger(TolerantDeserializer.class);

    private final Class<R> type;
    private final Supplier<R> create;
    private final Class<S> specType;
    private final Class<T> statusType;
    private final JsonDeserializer<?> standard;

    TolerantDeserializer(
            Class<R> type, Supplier<R> create, Class<S> specType, Class<T> statusType, JsonDeserializer<?> standard) {
        super(type);
        this.type = type;
        this.create = create;
        this.specType = specType;
        this.statusType = statusType;
        this.standard = standard;
    }

    @Override
    public void resolve(DeserializationContext ctxt) throws JsonMappingException {
        if (standard instanceof ResolvableDeserializer r) {
            r.resolve(ctxt);
        }
    }

    @Override
    public R deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode tree = ctxt.readTree(p);
        try (JsonParser whole = tree.traverse(p.getCodec())) {
            whole.nextToken();
            return type.cast(standard.deserialize(whole, ctxt));
        } catch (IOException | IllegalArgumentException e) {
            return partial(tree, ctxt, e);
        }
    }

    private R partial(JsonNode tree, DeserializationContext ctxt, Exception cause) throws IOException {
        R resource = create.get();
        // metadata is validated by the API server; if even it cannot be read, the failure is the informer's
        resource.setMetadata(ctxt.readTreeAsValue(tree.path("metadata"), ObjectMeta.class));
        resource.setSpec(readOrNull(tree.get("spec"), specType, ctxt));
        resource.setStatus(readOrNull(tree.get("status"), statusType, ctxt));
        LOG.debug(
                "{} {}/{} read without what failed: {}",
                resource.getKind(),
                resource.getMetadata().getNamespace(),
                resource.getMetadata().getName(),
                cause.getClass().getSimpleName());
        return resource;
    }

    private static <X> X readOrNull(JsonNode node, Class<X> type, DeserializationContext ctxt) {
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
