package dev.chopsticks.bot.config;

import java.util.Optional;

/**
 * Where this process runs, as the operator tells it: {@code CHOPSTICKS_CLUSTER} and the downward API's
 * {@code POD_NAME} / {@code POD_NAMESPACE}. All optional: outside Kubernetes they are simply absent.
 */
public record PodIdentity(Optional<String> cluster, Optional<String> namespace, Optional<String> pod) {

    public static PodIdentity fromEnv(EnvReader env) {
        return new PodIdentity(
                env.optional("CHOPSTICKS_CLUSTER"), env.optional("POD_NAMESPACE"), env.optional("POD_NAME"));
    }
}
