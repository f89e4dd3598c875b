package dev.chopsticks.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as the kubelet builds it, for running an operator-rendered container as a local
 * process: {@code secretKeyRef}, {@code configMapKeyRef} and {@code fieldRef} resolved from the objects and pod
 * metadata given, then {@code $(VAR)} expanded against the variables defined before (Kubernetes' rules: {@code $$} is
 * a literal {@code $}, an undefined reference stays as written). What it cannot resolve fails with the variable's
 * name, as the kubelet refuses to start such a container ({@code CreateContainerConfigError}).
 */
final class KubeletEnv {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

    /** The pod the container runs in, for the downward API. */
    record Pod(String name, String namespace) {}

    /** The resolved variables, in order, and the names other variables' values referenced with {@code $(NAME)}. */
    record Resolved(Map<String, String> values, Set<String> expandedNames) {}

    private final Map<String, Secret> secrets = new LinkedHashMap<>();
    private final Map<String, ConfigMap> configMaps = new LinkedHashMap<>();

    KubeletEnv secret(Secret secret) {
        secrets.put(secret.getMetadata().getName(), secret);
        return this;
    }

    KubeletEnv configMap(ConfigMap configMap) {
        configMaps.put(configMap.getMetadata().getName(), configMap);
        return this;
    }

    Resolved resolve(List<EnvVar> env, Pod pod) {
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> expanded = new LinkedHashSet<>();
        for (EnvVar v : env) {
            String value = v.getValueFrom() != null ? source(v.getName(), v.getValueFrom(), pod) : v.getValue();
            values.put(v.getName(), expand(value == null ? "" : value, values, expanded));
        }
        return new Resolved(values, expanded);
    }

    private String source(String name, EnvVarSource from, Pod pod) {
        if (from.getSecretKeyRef() != null) {
            SecretKeySelector ref = from.getSecretKeyRef();
            return secretValue(name, ref.getName(), ref.getKey());
        }
        if (from.getConfigMapKeyRef() != null) {
            ConfigMapKeySelector ref = from.getConfigMapKeyRef();
            ConfigMap cm = configMaps.get(ref.getName());
            String value =
                    cm == null || cm.getData() == null ? null : cm.getData().get(ref.getKey());
            if (value == null) {
                throw new IllegalStateException(
                        name + ": configMapKeyRef " + ref.getName() + "/" + ref.getKey() + " not supplied to the test");
            }
            return value;
        }
        if (from.getFieldRef() != null) {
            return field(name, from.getFieldRef(), pod);
        }
        throw new IllegalStateException(name + ": valueFrom " + from + " is not supported by this test");
    }

    /** Names the Secret and key only: the message must never carry a value. */
    private String secretValue(String variable, String secretName, String key) {
        Secret s = secrets.get(secretName);
        if (s == null) {
            throw new IllegalStateException(variable + ": secretKeyRef to Secret '" + secretName
                    + "', which the test does not supply (supplied: " + secrets.keySet() + ")");
        }
        if (s.getStringData() != null && s.getStringData().containsKey(key)) {
            return s.getStringData().get(key);
        }
        if (s.getData() != null && s.getData().containsKey(key)) {
            return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
        }
        throw new IllegalStateException(variable + ": Secret '" + secretName + "' has no key '" + key + "'");
    }

    private static String field(String variable, ObjectFieldSelector ref, Pod pod) {
        return switch (ref.getFieldPath()) {
            case "metadata.name" -> pod.name();
            case "metadata.namespace" -> pod.namespace();
            default ->
                throw new IllegalStateException(
                        variable + ": fieldRef " + ref.getFieldPath() + " is not supported by this test");
        };
    }

    static String expand(String value, Map<String, String> defined, Set<String> expanded) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else if (defined.containsKey(m.group(1))) {
                replacement = defined.get(m.group(1));
                expanded.add(m.group(1));
            } else {
                replacement = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
