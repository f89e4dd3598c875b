package dev.chopsticks.operator.validation;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The Secret informer's store: a Secret some cluster references is kept whole; any other Secret of the watched
 * namespaces (RBAC cannot narrow a list by name) only as its name, uid and resourceVersion, so the operator's memory
 * holds no data, no labels and no annotations (kubectl's last-applied annotation repeats the data) of Secrets it
 * does not use, while deletes and changes of every Secret still reach the reconciler. A Secret that becomes
 * referenced while only its name is kept is read directly ({@link ReferencedSecrets#get}) until its next change.
 */
final class ReferencedOnlyStore implements ItemStore<Secret> {
    /** On the name-only copy (in memory only, never written). */
    static final String NAME_ONLY = "chopsticks.dev/cached-name-only";

    private final BasicItemStore<Secret> kept = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
    private final Predicate<String> referenced;

    /** @param referenced whether a {@code namespace/name} key is referenced by a cluster */
    ReferencedOnlyStore(Predicate<String> referenced) {
        this.referenced = referenced;
    }

    /** Whether this cached Secret is a name-only copy, without its data. */
    static boolean nameOnly(Secret secret) {
        return secret.getMetadata().getAnnotations() != null
                && secret.getMetadata().getAnnotations().containsKey(NAME_ONLY);
    }

    @Override
    public String getKey(Secret secret) {
        return kept.getKey(secret);
    }

    @Override
    public Secret put(String key, Secret secret) {
        return kept.put(key, referenced.test(key) ? secret : nameOnlyCopy(secret));
    }

    private static Secret nameOnlyCopy(Secret secret) {
        var meta = secret.getMetadata();
        return new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder()
                        .withName(meta.getName())
                        .withNamespace(meta.getNamespace())
                        .withUid(meta.getUid())
                        .withResourceVersion(meta.getResourceVersion())
                        .withAnnotations(Map.of(NAME_ONLY, "true"))
                        .build())
                .build();
    }

    @Override
    public Secret remove(String key) {
        return kept.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return kept.keySet();
    }

    @Override
    public Stream<Secret> values() {
        return kept.values();
    }

    @Override
    public int size() {
        return kept.size();
    }

    @Override
    public Secret get(String key) {
        return kept.get(key);
    }
}
