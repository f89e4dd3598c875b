package dev.chopsticks.operator.pgbouncer;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.api.v1alpha1.BotSpec;
import dev.chopsticks.api.v1alpha1.PgBouncerSpec;
import dev.chopsticks.api.v1alpha1.PgPoolSpec;
import dev.chopsticks.api.v1alpha1.PoolMode;
import dev.chopsticks.api.v1alpha1.PostgresSpec;
import dev.chopsticks.operator.common.PostgresConnection;
import dev.chopsticks.operator.plan.ShardPlan;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PgBouncerTest {

    @Test
    void iniHasTheTuningAndNoCredentials() {
        var spec = withPgBouncer(spec(16_000), new PgBouncerSpec(true, null, 3, PoolMode.SESSION, 30, 500, null));
        String ini = PgBouncerConfigMap.desired(cluster(spec)).getData().get("pgbouncer.ini");
        assertThat(ini)
                .contains(
                        "listen_port = 5432\n",
                        "pool_mode = session\n",
                        "default_pool_size = 30\n",
                        "max_client_conn = 500\n",
                        "server_reset_query = DISCARD ALL\n",
                        "max_prepared_statements = 200\n",
                        "auth_type = scram-sha-256\n",
                        "auth_file = /etc/pgbouncer-auth/userlist.txt\n",
                        "%include /etc/pgbouncer-auth/databases.ini\n");
        assertThat(ini).doesNotContain(PG_PASSWORD).doesNotContain(PG.host());
        assertThat(PgBouncerConfigMap.desired(cluster(16_000)).getData().get("pgbouncer.ini"))
                .contains("pool_mode = transaction\n", "default_pool_size = 25\n", "max_client_conn = 1000\n");
    }

    @Test
    void authSecretDerivedFromThePostgresSecret() {
        var secret = PgBouncerAuthSecret.desired(cluster(16_000), PG);
        assertThat(secret.getMetadata().getName()).isEqualTo("chopsticks-pgbouncer-auth");
        assertThat(decode(secret.getData().get("userlist.txt"))).isEqualTo("\"bot\" \"pg-S3cret-\"\"quoted\"\"-pw\"\n");
        assertThat(decode(secret.getData().get("databases.ini")))
                .isEqualTo("[databases]\nchopsticks = host='postgres.db.svc' port=5432 dbname='chopsticks'\n");
        assertThat(decode(secret.getData().get("console.ini"))).isEqualTo("stats_users = bot\n");
    }

    @Test
    void deploymentRollsOnConfigOrPasswordChangeWithoutCarryingThePassword() {
        var c = cluster(16_000);
        var d = PgBouncerDeployment.desired(c, PG);
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        var ann = d.getSpec().getTemplate().getMetadata().getAnnotations();
        var rotated = PgBouncerDeployment.desired(
                c, new PostgresConnection(PG.host(), PG.port(), PG.dbname(), PG.user(), "another"));
        assertThat(rotated.getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations()
                        .get("chopsticks.dev/auth-hash"))
                .isNotEqualTo(ann.get("chopsticks.dev/auth-hash"));
        assertThat(rotated.getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations()
                        .get("chopsticks.dev/config-hash"))
                .isEqualTo(ann.get("chopsticks.dev/config-hash"));
        assertThat(Serialization.asJson(d)).doesNotContain(PG_PASSWORD);
        var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getCommand()).containsExactly("pgbouncer", "/etc/pgbouncer/pgbouncer.ini");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(PgBouncerService.desired(c).getSpec().getPorts().get(0).getPort())
                .isEqualTo(5432);
    }

    @Test
    void poolBudgetWithPgBouncer() {
        var spec = withPgBouncer(spec(16_000), new PgBouncerSpec(true, null, 4, null, 60, null, null));
        var budget =
                PoolBudget.of(withPostgres(spec, new PostgresSpec(PG_SECRET, 200)), ShardPlan.compute(16_000, null));
        assertThat(budget.connections()).isEqualTo(240);
        assertThat(budget.exceeded()).isTrue();
        assertThat(budget.refusal())
                .hasValueSatisfying(m -> assertThat(m)
                        .contains("pgbouncer.replicas (4) x pgbouncer.defaultPoolSize (60) = 240")
                        .contains("postgres.maxConnections (200)"));
        assertThat(PoolBudget.of(spec(16_000), ShardPlan.compute(16_000, null)).exceeded())
                .isFalse();
    }

    @Test
    void poolBudgetWithoutPgBouncerCountsPodsTimesPool() {
        var spec = withPgBouncer(spec(100_000), new PgBouncerSpec(false, null, null, null, null, null, null));
        var bot = spec.bot();
        spec = withBot(
                spec, new BotSpec(bot.image(), bot.discordToken(), null, null, null, new PgPoolSpec(5, 1), null, null));
        var budget = PoolBudget.of(spec, ShardPlan.compute(100_000, null)); // 50 pods x 5
        assertThat(budget.connections()).isEqualTo(250);
        assertThat(budget.exceeded()).isTrue();
        assertThat(budget.refusal().orElseThrow()).contains("shard pods (50) x bot.pgPool.max (5)");
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }
}
