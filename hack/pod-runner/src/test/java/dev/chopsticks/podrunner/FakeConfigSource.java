package dev.chopsticks.podrunner;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Secrets and ConfigMaps held in maps, keyed by "namespace/name". */
final class FakeConfigSource implements ConfigSource {
    private final Map<String, Map<String, String>> secrets = new HashMap<>();
    private final Map<String, Map<String, String>> configMaps = new HashMap<>();

    FakeConfigSource secret(String namespace, String name, Map<String, String> data) {
        secrets.put(namespace + "/" + name, data);
        return this;
    }

    FakeConfigSource configMap(String namespace, String name, Map<String, String> data) {
        configMaps.put(namespace + "/" + name, data);
        return this;
    }

    @Override
    public Optional<Map<String, String>> secret(String namespace, String name) {
        return Optional.ofNullable(secrets.get(namespace + "/" + name));
    }

    @Override
    public Optional<Map<String, String>> configMap(String namespace, String name) {
        return Optional.ofNullable(configMaps.get(namespace + "/" + name));
    }
}
