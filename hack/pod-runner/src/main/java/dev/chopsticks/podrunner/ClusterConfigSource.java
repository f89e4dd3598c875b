package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Reads Secrets and ConfigMaps from the API server each time, as the kubelet does when it creates a container. */
final class ClusterConfigSource implements ConfigSource {
    private final KubernetesClient client;

    ClusterConfigSource(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<Map<String, String>> secret(String namespace, String name) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return Optional.empty();
        }
        Map<String, String> data = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, decode(v)));
        }
        // stringData is write-only on a real API server, but a fake or a dry-run object may still carry it.
        if (secret.getStringData() != null) {
            data.putAll(secret.getStringData());
        }
        return Optional.of(data);
    }

    @Override
    public Optional<Map<String, String>> configMap(String namespace, String name) {
        ConfigMap map =
                client.configMaps().inNamespace(namespace).withName(name).get();
        if (map == null) {
            return Optional.empty();
        }
        Map<String, String> data = new HashMap<>();
        if (map.getBinaryData() != null) {
            map.getBinaryData().forEach((k, v) -> data.put(k, decode(v)));
        }
        if (map.getData() != null) {
            data.putAll(map.getData());
        }
        return Optional.of(data);
    }

    private static String decode(String base64) {
        return base64 == null ? "" : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
