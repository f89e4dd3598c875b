package dev.chopsticks.operator.validation;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReferencedOnlyStoreTest {
    static Secret in(String namespace, Secret s) {
        s.getMetadata().setNamespace(namespace);
        return s;
    }

    @Test
    void keepsOnlyWhatAClusterReferences() {
        Set<String> referenced = new HashSet<>(Set.of("bots/" + PG_SECRET));
        var store = new ReferencedOnlyStore(referenced::contains);
        Secret pg = in("bots", pgSecret());
        Secret unrelated = in("bots", secret("someone-elses-tls", Map.of("tls.key", "private")));

        store.put(store.getKey(pg), pg);
        store.put(store.getKey(unrelated), unrelated);
        assertThat(store.keySet()).containsExactly("bots/" + PG_SECRET);
        assertThat(store.get("bots/someone-elses-tls")).isNull();

        // referenced later: kept from its next change on
        referenced.add("bots/someone-elses-tls");
        store.put(store.getKey(unrelated), unrelated);
        assertThat(store.size()).isEqualTo(2);

        // no longer referenced: dropped at its next change
        referenced.remove("bots/" + PG_SECRET);
        store.put(store.getKey(pg), pg);
        assertThat(store.keySet()).containsExactly("bots/someone-elses-tls");
    }
}
