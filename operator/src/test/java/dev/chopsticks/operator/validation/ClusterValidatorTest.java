package dev.chopsticks.operator.validation;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.DashboardSpec;
import dev.chopsticks.api.v1alpha1.PgBouncerSpec;
import dev.chopsticks.api.v1alpha1.PostgresSpec;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ClusterValidatorTest {

    static Function<String, Optional<Secret>> secrets(Secret... all) {
        Map<String, Secret> m = new HashMap<>();
        for (Secret s : all) {
            m.put(s.getMetadata().getName(), s);
        }
        return n -> Optional.ofNullable(m.get(n));
    }

    static Problem problem(ChopsticksCluster c, Function<String, Optional<Secret>> secrets) {
        var r = ClusterValidator.validate(c, secrets);
        assertThat(r).isInstanceOf(ClusterValidator.Invalid.class);
        Problem p = ((ClusterValidator.Invalid) r).problem();
        assertThat(p.message()).doesNotContain(PG_PASSWORD).doesNotContain(DISCORD_TOKEN);
        return p;
    }

    @Test
    void validClusterYieldsPlanAndConnection() {
        var r = ClusterValidator.validate(cluster(16_000), secrets(pgSecret(), discordSecret()));
        assertThat(r).isInstanceOfSatisfying(ClusterValidator.Valid.class, v -> {
            assertThat(v.inputs().plan().shards()).isEqualTo(8);
            assertThat(v.inputs().requirePostgres()).isEqualTo(PG);
            assertThat(v.inputs().requirePostgres().toString()).doesNotContain(PG_PASSWORD);
        });
    }

    @Test
    void missingPostgresSecret() {
        Problem p = problem(cluster(16_000), secrets(discordSecret()));
        assertThat(p.reason()).isEqualTo("SecretMissing");
        assertThat(p.message()).contains("'chopsticks-db'", "postgres.connectionSecret", "not found");
    }

    @Test
    void postgresSecretMissingAKey() {
        Secret noPassword = secret(PG_SECRET, Map.of("host", "h", "port", "5432", "dbname", "d", "user", "u"));
        Problem p = problem(cluster(16_000), secrets(noPassword, discordSecret()));
        assertThat(p.reason()).isEqualTo("SecretInvalid");
        assertThat(p.message()).contains("no key 'password'");
    }

    @Test
    void badPortIsNotEchoed() {
        Secret badPort = secret(
                PG_SECRET, Map.of("host", "h", "port", "54x32", "dbname", "d", "user", "u", "password", PG_PASSWORD));
        Problem p = problem(cluster(16_000), secrets(badPort, discordSecret()));
        assertThat(p.message()).contains("'port' is not a port number").doesNotContain("54x32");
    }

    @Test
    void missingDiscordTokenAndKey() {
        assertThat(problem(cluster(16_000), secrets(pgSecret())).message())
                .contains("'discord'", "bot.discordToken", "not found");
        assertThat(problem(cluster(16_000), secrets(pgSecret(), secret(DISCORD_SECRET, Map.of("other", "x"))))
                        .message())
                .contains("has no key 'token'");
    }

    @Test
    void missingDashboardToken() {
        assertThat(problem(cluster(withDashboard(spec(16_000))), secrets(pgSecret(), discordSecret()))
                        .message())
                .contains("dashboard.adminToken");
    }

    @Test
    void adminTokenWithoutDashboardIsCheckedToo() {
        // shard pods get ADMIN_TOKEN whenever it is set, so a missing Secret would stop them
        var spec = withDashboard(spec(16_000));
        var tokenOnly = new ChopsticksClusterSpec(
                spec.guilds(),
                spec.sharding(),
                spec.bot(),
                spec.pgbouncer(),
                spec.redis(),
                spec.postgres(),
                spec.rollout(),
                new DashboardSpec(false, spec.dashboard().adminToken()));
        assertThat(problem(cluster(tokenOnly), secrets(pgSecret(), discordSecret()))
                        .message())
                .contains("dashboard.adminToken");
        assertThat(ReferencedSecrets.names(tokenOnly)).contains(ADMIN_SECRET);
    }

    @Test
    void poolBudgetRefused() {
        var spec = withPostgres(
                withPgBouncer(spec(16_000), new PgBouncerSpec(true, null, 4, null, 60, null, null)),
                new PostgresSpec(PG_SECRET, 200));
        Problem p = problem(cluster(spec), secrets(pgSecret(), discordSecret()));
        assertThat(p.reason()).isEqualTo("PoolBudgetExceeded");
        assertThat(p.message()).contains("240", "postgres.maxConnections (200)");
    }

    @Test
    void longNamesAreRefused() {
        var c = cluster(16_000);
        c.getMetadata().setName("a".repeat(41));
        assertThat(problem(c, secrets(pgSecret(), discordSecret())).reason()).isEqualTo("InvalidName");
    }

    @Test
    void referencedSecretNames() {
        var spec = withDashboard(spec(16_000));
        assertThat(ReferencedSecrets.names(spec))
                .containsExactlyInAnyOrderElementsOf(List.of(PG_SECRET, DISCORD_SECRET, ADMIN_SECRET));
    }

    @Test
    void aPlanAboveTheShardLimitIsRefusedBeforeAnythingElse() {
        // 2^40 guilds planned 549,755,814 shards and the operator ran out of memory; the schema refuses it now, the
        // operator too (an older or looser CRD would let it through)
        Problem p = problem(cluster(1L << 40), secrets(pgSecret(), discordSecret()));
        assertThat(p.reason()).isEqualTo("ShardLimitExceeded");
        assertThat(p.message())
                .contains("plans 549755814 shards", "limit of 20000", "MAX_PLANNED_SHARDS", "nothing is created");
    }

    @Test
    void theShardLimitIsTheOperatorsSetting() {
        var limits = new ValidationLimits(10);
        var r = ClusterValidator.validate(cluster(40_000), limits, secrets(pgSecret(), discordSecret()));
        assertThat(r)
                .isInstanceOfSatisfying(
                        ClusterValidator.Invalid.class,
                        i -> assertThat(i.problem().message())
                                .contains(
                                        "spec.guilds 40000 at sharding.guildsPerShard 2000 plans 20 shards",
                                        "limit of 10"));
        assertThat(ClusterValidator.validate(cluster(20_000), limits, secrets(pgSecret(), discordSecret())))
                .isInstanceOf(ClusterValidator.Valid.class);
    }

    @Test
    void aPlanBeyondAnIntegerIsRefusedToo() {
        Problem p = problem(cluster(Long.MAX_VALUE), secrets());
        assertThat(p.reason()).isEqualTo("ShardLimitExceeded");
        assertThat(p.message()).contains("plans more than 2147483647 shards");
    }
}
