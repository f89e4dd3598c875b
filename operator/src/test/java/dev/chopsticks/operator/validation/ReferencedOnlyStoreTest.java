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
        s.getMetadata().setResourceVersion("7");
        s.getMetadata()
                .setAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{\"data\":\"c2VjcmV0\"}"));
        return s;
    }

    @Test
    void keepsWholeOnlyWhatAClusterReferences() {
        Set<String> referenced = new HashSet<>(Set.of("bots/" + PG_SECRET));
        var store = new ReferencedOnlyStore(referenced::contains);
        Secret pg = in("bots", pgSecret());
        Secret unrelated = in("bots", secret("someone-elses-tls", Map.of("tls.key", "private")));

        store.put(store.getKey(pg), pg);
        store.put(store.getKey(unrelated), unrelated);
        assertThat(store.get("bots/" + PG_SECRET)).isSameAs(pg);
        Secret nameOnly = store.get("bots/someone-elses-tls");
        assertThat(ReferencedOnlyStore.nameOnly(nameOnly)).isTrue();
        assertThat(nameOnly.getData()).isNullOrEmpty();
        assertThat(nameOnly.getMetadata().getAnnotations()).containsOnlyKeys(ReferencedOnlyStore.NAME_ONLY);
        assertThat(nameOnly.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(ReferencedOnlyStore.nameOnly(pg)).isFalse();

        // referenced later: kept whole from its next change on
        referenced.add("bots/someone-elses-tls");
        store.put(store.getKey(unrelated), unrelated);
        assertThat(store.get("bots/someone-elses-tls")).isSameAs(unrelated);

        // no longer referenced: its data is dropped at its next change; a delete still finds it
        referenced.remove("bots/" + PG_SECRET);
        store.put(store.getKey(pg), pg);
        assertThat(store.get("bots/" + PG_SECRET).getData()).isNullOrEmpty();
        assertThat(store.remove("bots/" + PG_SECRET)).isNotNull();
        assertThat(store.keySet()).containsExactly("bots/someone-elses-tls");
    }
}
