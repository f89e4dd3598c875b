package dev.chopsticks.operator.validation;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The Secret informer's store, keeping only the Secrets some cluster references: the informer sees every Secret of
 * the watched namespaces (RBAC cannot narrow a list by name), but the operator's memory holds only the ones it uses.
 * A Secret that becomes referenced after it was last seen is read directly ({@link ReferencedSecrets#get}) until
 * its next change brings it into the store.
 */
final class ReferencedOnlyStore implements ItemStore<Secret> {
    private final BasicItemStore<Secret> kept = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
    private final Predicate<String> referenced;

    /** @param referenced whether a {@code namespace/name} key is referenced by a cluster */
    ReferencedOnlyStore(Predicate<String> referenced) {
        this.referenced = referenced;
    }

    @Override
    public String getKey(Secret secret) {
        return kept.getKey(secret);
    }

    @Override
    public Secret put(String key, Secret secret) {
        if (referenced.test(key)) {
            return kept.put(key, secret);
        }
        // no longer (or never) referenced: forget it
        return kept.remove(key);
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
