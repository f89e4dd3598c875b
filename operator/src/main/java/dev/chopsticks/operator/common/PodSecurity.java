package dev.chopsticks.operator.common;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/** The "restricted" Pod Security Standard, shared by every pod the operator runs. */
public final class PodSecurity {
    /** Non-root uid/gid of the bot image (distroless "nonroot"). */
    public static final long BOT_UID = 65532;
    /** The redis user of the official redis image. */
    public static final long REDIS_UID = 999;
    /** The postgres user of the pgbouncer image. */
    public static final long PGBOUNCER_UID = 70;

    public static final String TMP_VOLUME = "tmp";

    private PodSecurity() {}

    public static PodSecurityContext pod(long uid) {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(uid)
                .withRunAsGroup(uid)
                .withFsGroup(uid)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build();
    }

    public static SecurityContext container() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build();
    }

    /**
     * The spec of a pod that needs no Kubernetes API (no service links, no service-account token): {@code container}
     * runs as non-root {@code uid} with {@code volumes} and a writable /tmp. Callers add what is theirs.
     */
    public static PodSpecBuilder isolatedPod(long uid, Container container, Volume... volumes) {
        List<Volume> all = new ArrayList<>(List.of(volumes));
        all.add(tmpVolume());
        return new PodSpecBuilder()
                .withEnableServiceLinks(false)
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(pod(uid))
                .withContainers(container)
                .withVolumes(all);
    }

    /** The container with the restricted security context, {@code mounts} and /tmp. */
    public static Container restricted(ContainerBuilder container, VolumeMount... mounts) {
        List<VolumeMount> all = new ArrayList<>(List.of(mounts));
        all.add(tmpMount());
        return container.withSecurityContext(container()).withVolumeMounts(all).build();
    }

    /** A writable /tmp for a read-only root filesystem. */
    public static Volume tmpVolume() {
        return new VolumeBuilder()
                .withName(TMP_VOLUME)
                .withEmptyDir(new EmptyDirVolumeSourceBuilder()
                        .withSizeLimit(new Quantity("256Mi"))
                        .build())
                .build();
    }

    public static VolumeMount tmpMount() {
        return new VolumeMountBuilder()
                .withName(TMP_VOLUME)
                .withMountPath("/tmp")
                .build();
    }
}
