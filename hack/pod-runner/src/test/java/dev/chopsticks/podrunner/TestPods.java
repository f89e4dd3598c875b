package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;

/** Pods and env entries for the tests (the ITs use the env entries too). */
public final class TestPods {
    private TestPods() {}

    public static Pod pod(EnvVar... env) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("bot-shards-3")
                .withNamespace("e2e")
                .withUid("uid-1234")
                .withLabels(Map.of("app.kubernetes.io/component", "shard"))
                .withAnnotations(Map.of("note", "hi"))
                .endMetadata()
                .withNewSpec()
                .withNodeName("kwok-node-1")
                .withServiceAccountName("bot")
                .withContainers(new ContainerBuilder()
                        .withName("bot")
                        .withImage("chopsticks/bot-runtime:0.1.0")
                        .withArgs("run")
                        .withEnv(List.of(env))
                        .build())
                .endSpec()
                .build();
    }

    public static EnvVar literal(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    public static EnvVar field(String name, String path) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath(path)
                .endFieldRef()
                .endValueFrom()
                .build();
    }

    public static EnvVar secret(String name, String secret, String key, Boolean optional) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(secret)
                .withKey(key)
                .withOptional(optional)
                .endSecretKeyRef()
                .endValueFrom()
                .build();
    }

    public static EnvVar configMap(String name, String map, String key, Boolean optional) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                .withNewConfigMapKeyRef()
                .withName(map)
                .withKey(key)
                .withOptional(optional)
                .endConfigMapKeyRef()
                .endValueFrom()
                .build();
    }
}
