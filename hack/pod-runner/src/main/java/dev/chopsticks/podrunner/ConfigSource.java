package dev.chopsticks.podrunner;

import java.util.Map;
import java.util.Optional;

/** Where Secret and ConfigMap data come from: the API server at run time, a map in unit tests. */
public interface ConfigSource {
    /** The decoded data of a Secret, or empty when the Secret does not exist. */
    Optional<Map<String, String>> secret(String namespace, String name);

    /** The data (and decoded binaryData) of a ConfigMap, or empty when it does not exist. */
    Optional<Map<String, String>> configMap(String namespace, String name);
}
