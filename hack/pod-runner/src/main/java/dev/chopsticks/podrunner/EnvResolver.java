package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a container's environment the way the kubelet does: {@code envFrom} first, then {@code env} in order, a
 * later entry with the same name replacing an earlier one; literal values get {@code $(VAR)} expansion against the
 * variables defined before them, values read from Secrets, ConfigMaps and the downward API do not.
 */
public final class EnvResolver {
    private final ConfigSource source;
    private final HostResources host;

    public EnvResolver(ConfigSource source, HostResources host) {
        this.source = source;
        this.host = host;
    }

    /**
     * The container's variables, in definition order.
     *
     * @param overrides values that replace the Pod's own for those names (the remapped port), applied where the Pod
     *     defines the name so that later {@code $(NAME)} references see them, and appended when it does not
     * @throws MissingReferenceException a required Secret, ConfigMap or key does not exist
     */
    public Map<String, String> resolve(Pod pod, Container container, Map<String, String> overrides)
            throws MissingReferenceException {
        String namespace = pod.getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            Optional<Map<String, String>> data = Optional.empty();
            if (from.getConfigMapRef() != null) {
                var ref = from.getConfigMapRef();
                data = source.configMap(namespace, ref.getName());
                if (data.isEmpty() && !Boolean.TRUE.equals(ref.getOptional())) {
                    throw new MissingReferenceException("configmap \"" + ref.getName() + "\" not found");
                }
            } else if (from.getSecretRef() != null) {
                var ref = from.getSecretRef();
                data = source.secret(namespace, ref.getName());
                if (data.isEmpty() && !Boolean.TRUE.equals(ref.getOptional())) {
                    throw new MissingReferenceException("secret \"" + ref.getName() + "\" not found");
                }
            }
            data.ifPresent(d -> d.forEach((k, v) -> put(env, prefix + k, v, overrides)));
        }
        for (EnvVar var : container.getEnv()) {
            if (var.getValueFrom() == null) {
                String literal = var.getValue() == null ? "" : var.getValue();
                put(env, var.getName(), VarExpansion.expand(literal, env::get), overrides);
                continue;
            }
            Optional<String> value = valueFrom(pod, container, var.getValueFrom());
            // A missing optional reference is skipped: the variable keeps any earlier value (kubelet's `continue`).
            value.ifPresent(v -> put(env, var.getName(), v, overrides));
        }
        Set<String> missing = new LinkedHashSet<>(overrides.keySet());
        missing.removeAll(env.keySet());
        missing.forEach(name -> env.put(name, overrides.get(name)));
        return env;
    }

    private static void put(Map<String, String> env, String name, String value, Map<String, String> overrides) {
        env.put(name, overrides.getOrDefault(name, value));
    }

    private Optional<String> valueFrom(Pod pod, Container container, EnvVarSource from)
            throws MissingReferenceException {
        String namespace = pod.getMetadata().getNamespace();
        if (from.getFieldRef() != null) {
            return Optional.of(FieldRefs.resolve(pod, from.getFieldRef().getFieldPath()));
        }
        if (from.getResourceFieldRef() != null) {
            return Optional.of(ResourceFieldRefs.resolve(pod, container, from.getResourceFieldRef(), host));
        }
        if (from.getSecretKeyRef() != null) {
            SecretKeySelector ref = from.getSecretKeyRef();
            return key(
                    source.secret(namespace, ref.getName()),
                    "secret",
                    "Secret",
                    namespace,
                    ref.getName(),
                    ref.getKey(),
                    Boolean.TRUE.equals(ref.getOptional()));
        }
        if (from.getConfigMapKeyRef() != null) {
            ConfigMapKeySelector ref = from.getConfigMapKeyRef();
            return key(
                    source.configMap(namespace, ref.getName()),
                    "configmap",
                    "ConfigMap",
                    namespace,
                    ref.getName(),
                    ref.getKey(),
                    Boolean.TRUE.equals(ref.getOptional()));
        }
        throw new IllegalArgumentException("unsupported valueFrom " + from);
    }

    /** The kubelet's own wording, so log lines and Events read like a real cluster's. */
    private static Optional<String> key(
            Optional<Map<String, String>> data,
            String lower,
            String kind,
            String namespace,
            String name,
            String key,
            boolean optional)
            throws MissingReferenceException {
        if (data.isEmpty()) {
            if (optional) {
                return Optional.empty();
            }
            throw new MissingReferenceException(lower + " \"" + name + "\" not found");
        }
        String value = data.get().get(key);
        if (value == null) {
            if (optional) {
                return Optional.empty();
            }
            throw new MissingReferenceException(
                    "couldn't find key " + key + " in " + kind + " " + namespace + "/" + name);
        }
        return Optional.of(value);
    }
}
