package dev.chopsticks.operator.pgbouncer;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Annotations;
import dev.chopsticks.operator.common.ClusterInputs;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Hashing;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.PodSecurity;
import dev.chopsticks.operator.common.Ports;
import dev.chopsticks.operator.common.PostgresConnection;
import dev.chopsticks.operator.common.Resources;
import dev.chopsticks.operator.common.Scheduling;
import dev.chopsticks.operator.common.UpdatableClusterDependent;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.TreeMap;

/**
 * PgBouncer pods. The config and auth hashes in the pod template roll the pods when pgbouncer.ini or the
 * credentials change (the hash of the credentials, never the credentials).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_PGBOUNCER))
public class PgBouncerDeployment extends UpdatableClusterDependent<Deployment> {

    public static final String CONTAINER = "pgbouncer";

    public PgBouncerDeployment() {
        super(Deployment.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.pgbouncer(cluster);
    }

    @Override
    protected Deployment desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return desired(cluster, ClusterInputs.from(context).requirePostgres());
    }

    public static Deployment desired(ChopsticksCluster cluster, PostgresConnection pg) {
        var spec = cluster.getSpec().pgbouncer();
        var annotations = new TreeMap<String, String>();
        annotations.put(Annotations.CONFIG_HASH, Hashing.of(PgBouncerIni.ini(spec)));
        annotations.put(
                Annotations.AUTH_HASH,
                Hashing.of(PgBouncerAuthSecret.desired(cluster, pg).getData()));
        var container = PodSecurity.restricted(
                new ContainerBuilder()
                        .withName(CONTAINER)
                        .withImage(spec.image())
                        .withCommand("pgbouncer", PgBouncerIni.CONFIG_MOUNT + "/" + PgBouncerIni.INI)
                        .addNewPort()
                        .withName("postgres")
                        .withContainerPort(Ports.PGBOUNCER)
                        .withProtocol("TCP")
                        .endPort()
                        .withResources(Resources.of(spec.resources()))
                        .withReadinessProbe(new ProbeBuilder()
                                .withNewTcpSocket()
                                .withPort(new IntOrString("postgres"))
                                .endTcpSocket()
                                .withPeriodSeconds(5)
                                .build())
                        .withLivenessProbe(new ProbeBuilder()
                                .withNewTcpSocket()
                                .withPort(new IntOrString("postgres"))
                                .endTcpSocket()
                                .withInitialDelaySeconds(10)
                                .withPeriodSeconds(10)
                                .build()),
                new VolumeMountBuilder()
                        .withName("config")
                        .withMountPath(PgBouncerIni.CONFIG_MOUNT)
                        .withReadOnly(true)
                        .build(),
                new VolumeMountBuilder()
                        .withName("auth")
                        .withMountPath(PgBouncerIni.AUTH_MOUNT)
                        .withReadOnly(true)
                        .build());
        var pod = PodSecurity.isolatedPod(
                        PodSecurity.PGBOUNCER_UID,
                        container,
                        new VolumeBuilder()
                                .withName("config")
                                .withNewConfigMap()
                                .withName(Names.pgbouncerConfig(cluster))
                                .endConfigMap()
                                .build(),
                        new VolumeBuilder()
                                .withName("auth")
                                .withNewSecret()
                                .withSecretName(Names.pgbouncerAuth(cluster))
                                .endSecret()
                                .build())
                .withTopologySpreadConstraints(Scheduling.spreadOverNodes(cluster, Component.PGBOUNCER));
        return new DeploymentBuilder()
                .withMetadata(Metadata.of(cluster, Names.pgbouncer(cluster), Component.PGBOUNCER))
                .withNewSpec()
                .withReplicas(spec.replicas())
                .withSelector(new LabelSelectorBuilder()
                        .withMatchLabels(Labels.selector(cluster, Component.PGBOUNCER))
                        .build())
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Labels.common(cluster, Component.PGBOUNCER))
                .withAnnotations(annotations)
                .endMetadata()
                .withSpec(pod.build())
                .endTemplate()
                .endSpec()
                .build();
    }
}
