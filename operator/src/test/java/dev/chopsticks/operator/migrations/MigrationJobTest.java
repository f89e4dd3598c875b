package dev.chopsticks.operator.migrations;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MigrationJobTest {

    @Test
    void runsMigrateAgainstPostgresDirectly() {
        var job = MigrationJob.desired(cluster(16_000));
        assertThat(job.getMetadata().getName())
                .startsWith("chopsticks-migrate-")
                .hasSize("chopsticks-migrate-".length() + 10);
        var c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo(IMAGE);
        assertThat(c.getArgs()).containsExactly("migrate");
        Map<String, EnvVar> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity()));
        assertThat(env.get("POSTGRES_URL").getValue())
                .isEqualTo("postgres://$(PGUSER)@$(PGHOST):$(PGPORT)/$(PGDATABASE)");
        assertThat(env.get("POSTGRES_URL").getValue()).doesNotContain("pgbouncer");
        // only what `migrate` reads, plus the variables POSTGRES_URL expands (PodContractIT runs it)
        assertThat(c.getEnv().stream().map(EnvVar::getName))
                .containsExactly(
                        "PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "POSTGRES_PASSWORD", "POSTGRES_URL");
        for (String k : new String[] {"PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "POSTGRES_PASSWORD"}) {
            assertThat(env.get(k).getValueFrom().getSecretKeyRef().getName()).isEqualTo(PG_SECRET);
        }
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isNull(); // a deleted Job would re-run
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/component", "migrations");
        assertThat(Serialization.asJson(job)).doesNotContain(PG_PASSWORD);
    }

    @Test
    void nameFollowsTheImage() {
        String a = MigrationJob.name(cluster(16_000));
        assertThat(MigrationJob.name(cluster(24_000))).isEqualTo(a);
        assertThat(MigrationJob.name(cluster(withImage(spec(16_000), IMAGE + "-next"))))
                .isNotEqualTo(a);
    }

    @Test
    void states() {
        var running = new JobBuilder().withNewStatus().withActive(1).endStatus().build();
        var done = new JobBuilder()
                .withNewStatus()
                .withSucceeded(1)
                .withConditions(new JobConditionBuilder()
                        .withType("Complete")
                        .withStatus("True")
                        .build())
                .endStatus()
                .build();
        var failed = new JobBuilder()
                .withNewStatus()
                .withFailed(4)
                .withConditions(new JobConditionBuilder()
                        .withType("Failed")
                        .withStatus("True")
                        .withReason("BackoffLimitExceeded")
                        .withMessage("Job has reached the specified backoff limit")
                        .build())
                .endStatus()
                .build();
        assertThat(MigrationJob.state(running)).isEqualTo(MigrationJob.State.RUNNING);
        assertThat(MigrationJob.state(new JobBuilder().build())).isEqualTo(MigrationJob.State.RUNNING);
        assertThat(MigrationJob.state(done)).isEqualTo(MigrationJob.State.SUCCEEDED);
        assertThat(MigrationJob.state(failed)).isEqualTo(MigrationJob.State.FAILED);
        assertThat(MigrationJob.failure(failed))
                .isEqualTo("BackoffLimitExceeded: Job has reached the specified backoff limit");
    }
}
