package dev.chopsticks.operator.migrations;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.bot.BotEnvironment;
import dev.chopsticks.operator.common.Annotations;
import dev.chopsticks.operator.common.ClusterDependent;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Hashing;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.PodSecurity;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The bot image's {@code migrate} command against PostgreSQL directly (never PgBouncer). Named by a hash of the
 * image and the connection Secret, so a new image gets a new Job; Jobs are immutable, so this dependent is
 * create-only. The shard StatefulSet and the dashboard depend on it with {@link MigrationSucceeded} as ready
 * condition: a new image reaches no pod before its migrations have run.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_MIGRATIONS))
public class MigrationJob extends ClusterDependent<Job> {

    public static final String CONTAINER = "migrate";
    public static final int BACKOFF_LIMIT = 3;
    public static final long ACTIVE_DEADLINE_SECONDS = 1800;
    /** Context key set when this reconcile created the Job ({@link MigrationJobs} records MigrationStarted). */
    public static final String CREATED_KEY = MigrationJob.class.getName() + ".created";

    public MigrationJob() {
        super(Job.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return name(cluster);
    }

    @Override
    protected Job desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return desired(cluster);
    }

    @Override
    protected void onCreated(ChopsticksCluster primary, Job created, Context<ChopsticksCluster> context) {
        super.onCreated(primary, created, context);
        context.managedWorkflowAndDependentResourceContext()
                .put(CREATED_KEY, created.getMetadata().getName());
    }

    /** What determines the Job: the image and where it migrates. */
    public static String hash(ChopsticksCluster cluster) {
        return Hashing.of(
                List.of(
                        cluster.getSpec().bot().image(),
                        cluster.getSpec().postgres().connectionSecret()),
                10);
    }

    public static String name(ChopsticksCluster cluster) {
        return Names.migrationJob(cluster, hash(cluster));
    }

    public static Job desired(ChopsticksCluster cluster) {
        var meta = Metadata.of(cluster, name(cluster), Component.MIGRATIONS);
        meta.setAnnotations(new TreeMap<>(
                Map.of(Annotations.MIGRATION_IMAGE, cluster.getSpec().bot().image())));
        var container = PodSecurity.restricted(new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(cluster.getSpec().bot().image())
                .withArgs("migrate")
                .withEnv(BotEnvironment.migrations(cluster)));
        return new JobBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withBackoffLimit(BACKOFF_LIMIT)
                .withActiveDeadlineSeconds(ACTIVE_DEADLINE_SECONDS)
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Labels.common(cluster, Component.MIGRATIONS))
                .endMetadata()
                .withSpec(PodSecurity.isolatedPod(PodSecurity.BOT_UID, container)
                        .withRestartPolicy("Never")
                        .build())
                .endTemplate()
                .endSpec()
                .build();
    }

    /** Where a migration Job stands. */
    public enum State {
        RUNNING,
        SUCCEEDED,
        FAILED
    }

    public static State state(Job job) {
        if (condition(job, "Complete").isPresent()
                || (job.getStatus() != null
                        && job.getStatus().getSucceeded() != null
                        && job.getStatus().getSucceeded() > 0)) {
            return State.SUCCEEDED;
        }
        return condition(job, "Failed").isPresent() ? State.FAILED : State.RUNNING;
    }

    /** "reason: message" of the Failed condition, for Degraded and the Event. */
    public static String failure(Job job) {
        return condition(job, "Failed")
                .map(c -> (c.getReason() == null ? "Failed" : c.getReason())
                        + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                .orElse("Failed");
    }

    static Optional<JobCondition> condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst();
    }
}
