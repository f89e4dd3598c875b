package dev.chopsticks.operator.migrations;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.events.EventReason;
import dev.chopsticks.operator.events.EventRecorder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows the apply for migration Jobs: {@code MigrationStarted} when this reconcile created the current image's
 * Job, {@code MigrationFailed} while it has failed, and once it succeeded the superseded Jobs (older images) are
 * deleted with their pods. The Job itself is the {@link MigrationJob} dependent's.
 */
public final class MigrationJobs {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationJobs.class);

    private final EventRecorder events;

    public MigrationJobs(EventRecorder events) {
        this.events = events;
    }

    /** The cluster's migration Jobs, of any image, as the informer holds them. */
    public static List<Job> of(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        String name = cluster.getMetadata().getName();
        return context.getSecondaryResourcesAsStream(Job.class)
                .filter(j -> j.getMetadata().getLabels() != null
                        && name.equals(j.getMetadata().getLabels().get(Labels.INSTANCE)))
                .toList();
    }

    /** The current image's Job among {@code jobs}. */
    public static Optional<Job> current(ChopsticksCluster cluster, List<Job> jobs) {
        String name = MigrationJob.name(cluster);
        return jobs.stream().filter(j -> name.equals(j.getMetadata().getName())).findFirst();
    }

    /** Events and clean-up after the apply; returns the warnings that still hold. */
    public Set<EventReason> afterApply(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        List<Job> jobs = of(cluster, context);
        String name = MigrationJob.name(cluster);
        Optional<Job> current = current(cluster, jobs);
        if (context.managedWorkflowAndDependentResourceContext()
                .get(MigrationJob.CREATED_KEY, String.class)
                .isPresent()) {
            events.normal(
                    cluster,
                    EventReason.MIGRATION_STARTED,
                    "migration Job " + name + " started for image "
                            + cluster.getSpec().bot().image());
        }
        MigrationJob.State state = current.map(MigrationJob::state).orElse(MigrationJob.State.RUNNING);
        if (state == MigrationJob.State.SUCCEEDED) {
            deleteSuperseded(cluster, context, jobs);
        }
        if (state != MigrationJob.State.FAILED) {
            return Set.of();
        }
        events.warning(
                cluster,
                EventReason.MIGRATION_FAILED,
                "migration Job " + name + " failed: " + MigrationJob.failure(current.get())
                        + "; shards keep their current image (fix the image, or delete the Job to retry)");
        return Set.of(EventReason.MIGRATION_FAILED);
    }

    private void deleteSuperseded(ChopsticksCluster cluster, Context<ChopsticksCluster> context, List<Job> jobs) {
        String current = MigrationJob.name(cluster);
        for (Job old : jobs) {
            if (current.equals(old.getMetadata().getName()) || old.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            try {
                context.getClient()
                        .resource(old)
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                        .delete();
                events.normal(
                        cluster,
                        EventReason.MIGRATION_SUCCEEDED,
                        "migration Job " + current + " succeeded; removed superseded Job "
                                + old.getMetadata().getName());
            } catch (KubernetesClientException e) {
                LOG.warn(
                        "could not delete superseded migration Job {}: HTTP {}",
                        old.getMetadata().getName(),
                        e.getCode());
            }
        }
    }
}
