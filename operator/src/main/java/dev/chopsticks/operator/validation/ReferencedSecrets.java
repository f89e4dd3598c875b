package dev.chopsticks.operator.validation;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.EnvVarSpec;
import dev.chopsticks.api.v1alpha1.RedisMode;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The user's Secrets a cluster references (PostgreSQL connection, Discord token, dashboard admin token, external
 * Redis URL, extra env). Watched so that creating, fixing or rotating one triggers a reconcile; mapped back to
 * clusters through an index of the referenced names on the cluster cache, which also decides what the informer's
 * store keeps ({@link ReferencedOnlyStore}: referenced Secrets whole, any other by name only).
 */
public final class ReferencedSecrets {
    public static final String EVENT_SOURCE = "referenced-secrets";
    static final String INDEX = "chopsticks.dev/referenced-secrets";

    private ReferencedSecrets() {}

    /** Names of the Secrets a cluster references. */
    public static Set<String> names(ChopsticksClusterSpec spec) {
        Set<String> names = new LinkedHashSet<>();
        names.add(spec.postgres().connectionSecret());
        if (spec.bot().discordToken() != null) {
            names.add(spec.bot().discordToken().name());
        }
        // Shard pods carry the admin token too, so it counts with or without the dashboard.
        if (spec.dashboard().adminToken() != null) {
            names.add(spec.dashboard().adminToken().name());
        }
        if (spec.redis().mode() == RedisMode.EXTERNAL
                && spec.redis().external() != null
                && spec.redis().external().urlSecretRef() != null) {
            names.add(spec.redis().external().urlSecretRef().name());
        }
        for (EnvVarSpec e : spec.bot().env()) {
            if (e.secretKeyRef() != null) {
                names.add(e.secretKeyRef().name());
            }
        }
        return names;
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    public static InformerEventSource<Secret, ChopsticksCluster> eventSource(
            EventSourceContext<ChopsticksCluster> context) {
        context.getPrimaryCache()
                .addIndexer(
                        INDEX,
                        cluster -> cluster.getSpec() == null
                                ? List.of()
                                : names(cluster.getSpec()).stream()
                                        .map(n -> key(cluster.getMetadata().getNamespace(), n))
                                        .toList());
        var config = InformerEventSourceConfiguration.from(Secret.class, ChopsticksCluster.class)
                .withName(EVENT_SOURCE)
                .withItemStore(new ReferencedOnlyStore(
                        key -> !context.getPrimaryCache().byIndex(INDEX, key).isEmpty()))
                .withSecondaryToPrimaryMapper(secret -> context
                        .getPrimaryCache()
                        .byIndex(
                                INDEX,
                                key(
                                        secret.getMetadata().getNamespace(),
                                        secret.getMetadata().getName()))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build();
        return new InformerEventSource<>(config, context);
    }

    /**
     * A referenced Secret: from the cache, else read directly (the store keeps other Secrets by name only, and a
     * Secret that became referenced after its last change is still kept that way).
     */
    @SuppressWarnings("unchecked")
    public static Optional<Secret> get(Context<ChopsticksCluster> context, String namespace, String name) {
        var source = (InformerEventSource<Secret, ChopsticksCluster>)
                context.eventSourceRetriever().getEventSourceFor(Secret.class, EVENT_SOURCE);
        return source.get(new ResourceID(name, namespace))
                .filter(s -> !ReferencedOnlyStore.nameOnly(s))
                .or(() -> Optional.ofNullable(context.getClient()
                        .secrets()
                        .inNamespace(namespace)
                        .withName(name)
                        .get()));
    }
}
