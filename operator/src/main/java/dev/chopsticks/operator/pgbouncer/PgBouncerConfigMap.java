package dev.chopsticks.operator.pgbouncer;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
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

/** pgbouncer.ini. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_PGBOUNCER))
public class PgBouncerConfigMap extends UpdatableClusterDependent<ConfigMap> {

    public PgBouncerConfigMap() {
        super(ConfigMap.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.pgbouncerConfig(cluster);
    }

    @Override
    protected ConfigMap desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return desired(cluster);
    }

    public static ConfigMap desired(ChopsticksCluster cluster) {
        return new ConfigMapBuilder()
                .withMetadata(Metadata.of(cluster, Names.pgbouncerConfig(cluster), Component.PGBOUNCER))
                .withData(Map.of(
                        PgBouncerIni.INI, PgBouncerIni.ini(cluster.getSpec().pgbouncer())))
                .build();
    }
}
