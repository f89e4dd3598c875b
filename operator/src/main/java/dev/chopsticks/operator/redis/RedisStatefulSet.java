package dev.chopsticks.operator.redis;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Annotations;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Hashing;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.PodSecurity;
import dev.chopsticks.operator.common.Ports;
import dev.chopsticks.operator.common.Resources;
import dev.chopsticks.operator.common.UpdatableClusterDependent;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The managed Redis: one replica with a PersistentVolumeClaim of {@code redis.storageSize}. A StatefulSet's claim
 * templates are immutable, so once created the existing claim size is kept (resize the PVC itself).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_REDIS))
public class RedisStatefulSet extends UpdatableClusterDependent<StatefulSet> {

    public static final String CONTAINER = "redis";
    public static final String DATA = "data";

    public RedisStatefulSet() {
        super(StatefulSet.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.redis(cluster);
    }

    @Override
    protected StatefulSet desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        Optional<String> existingStorage =
                getSecondaryResource(cluster, context).flatMap(RedisStatefulSet::storageOf);
        return desired(cluster, existingStorage);
    }

    static Optional<String> storageOf(StatefulSet sts) {
        return Optional.ofNullable(sts.getSpec().getVolumeClaimTemplates())
                .flatMap(l -> l.stream().findFirst())
                .map(pvc -> pvc.getSpec().getResources().getRequests().get("storage"))
                .map(Quantity::toString);
    }

    /** Pure: the StatefulSet for a cluster, keeping an already-created claim size if given. */
    public static StatefulSet desired(ChopsticksCluster cluster, Optional<String> existingStorage) {
        var redis = cluster.getSpec().redis();
        String configHash = Hashing.of(RedisConfigMap.redisConf(redis));
        var container = PodSecurity.restricted(
                new ContainerBuilder()
                        .withName(CONTAINER)
                        .withImage(redis.image())
                        .withCommand("redis-server", RedisConfigMap.MOUNT + "/" + RedisConfigMap.KEY)
                        .addNewPort()
                        .withName("redis")
                        .withContainerPort(Ports.REDIS)
                        .withProtocol("TCP")
                        .endPort()
                        .withResources(Resources.of(redis.resources()))
                        .withReadinessProbe(new ProbeBuilder()
                                .withNewTcpSocket()
                                .withPort(new IntOrString("redis"))
                                .endTcpSocket()
                                .withPeriodSeconds(5)
                                .build())
                        .withLivenessProbe(new ProbeBuilder()
                                .withNewTcpSocket()
                                .withPort(new IntOrString("redis"))
                                .endTcpSocket()
                                .withInitialDelaySeconds(15)
                                .withPeriodSeconds(10)
                                .build()),
                new VolumeMountBuilder().withName(DATA).withMountPath("/data").build(),
                new VolumeMountBuilder()
                        .withName("config")
                        .withMountPath(RedisConfigMap.MOUNT)
                        .withReadOnly(true)
                        .build(),
                new VolumeMountBuilder()
                        .withName("auth")
                        .withMountPath(RedisPasswordSecret.MOUNT)
                        .withReadOnly(true)
                        .build());
        var pod = PodSecurity.isolatedPod(
                PodSecurity.REDIS_UID,
                container,
                new VolumeBuilder()
                        .withName("config")
                        .withNewConfigMap()
                        .withName(Names.redisConfig(cluster))
                        .endConfigMap()
                        .build(),
                new VolumeBuilder()
                        .withName("auth")
                        .withNewSecret()
                        .withSecretName(Names.redisPassword(cluster))
                        .endSecret()
                        .build());
        return new StatefulSetBuilder()
                .withMetadata(Metadata.of(cluster, Names.redis(cluster), Component.REDIS))
                .withNewSpec()
                .withReplicas(1)
                .withServiceName(Names.redis(cluster))
                .withSelector(new LabelSelectorBuilder()
                        .withMatchLabels(Labels.selector(cluster, Component.REDIS))
                        .build())
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Labels.common(cluster, Component.REDIS))
                .withAnnotations(new TreeMap<>(Map.of(Annotations.CONFIG_HASH, configHash)))
                .endMetadata()
                .withSpec(pod.build())
                .endTemplate()
                .withVolumeClaimTemplates(new PersistentVolumeClaimBuilder()
                        .withNewMetadata()
                        .withName(DATA)
                        .endMetadata()
                        .withNewSpec()
                        .withAccessModes("ReadWriteOnce")
                        .withNewResources()
                        .addToRequests("storage", new Quantity(existingStorage.orElse(redis.storageSize())))
                        .endResources()
                        .endSpec()
                        .build())
                .endSpec()
                .build();
    }
}
