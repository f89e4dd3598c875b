package dev.chopsticks.operator.shards;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.ClusterInputs;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.UpdatableClusterDependent;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * ConfigMap {@code <cluster>-generation}: the bots' switch between shard generations. Key
 * {@value #ACTIVE_GENERATION} holds the generation that handles events; a bot whose {@code CHOPSTICKS_GENERATION}
 * (absent: 1) differs keeps its gateway sessions but ignores events. On the switch of a session hand-off, key
 * {@value #SESSIONS_FROM} names the generation whose sessions the active one resumes: its bots drop them at once.
 * Written by the operator only; it exists before a second generation is ever started.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_SHARD))
public class ActiveGenerationConfigMap extends UpdatableClusterDependent<ConfigMap> {

    public static final String ACTIVE_GENERATION = "active-generation";
    public static final String SESSIONS_FROM = "sessions-from";

    public ActiveGenerationConfigMap() {
        super(ConfigMap.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.generationConfigMap(cluster);
    }

    @Override
    protected ConfigMap desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        ClusterInputs inputs = ClusterInputs.from(context);
        return desired(cluster, inputs.activeGeneration(), inputs.sessionsFrom());
    }

    public static ConfigMap desired(ChopsticksCluster cluster, int activeGeneration) {
        return desired(cluster, activeGeneration, OptionalInt.empty());
    }

    public static ConfigMap desired(ChopsticksCluster cluster, int activeGeneration, OptionalInt sessionsFrom) {
        Map<String, String> data = new TreeMap<>();
        data.put(ACTIVE_GENERATION, Integer.toString(activeGeneration));
        sessionsFrom.ifPresent(g -> data.put(SESSIONS_FROM, Integer.toString(g)));
        return new ConfigMapBuilder()
                .withMetadata(Metadata.of(cluster, Names.generationConfigMap(cluster), Component.SHARD))
                .withData(data)
                .build();
    }

    /** The active generation the ConfigMap names, if it exists and holds a number. */
    public static OptionalInt observed(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        String name = Names.generationConfigMap(cluster);
        return context.getSecondaryResourcesAsStream(ConfigMap.class)
                .filter(c -> name.equals(c.getMetadata().getName()) && c.getData() != null)
                .map(c -> c.getData().get(ACTIVE_GENERATION))
                .filter(v -> v != null && v.matches("[1-9][0-9]{0,8}"))
                .mapToInt(Integer::parseInt)
                .findFirst();
    }
}
