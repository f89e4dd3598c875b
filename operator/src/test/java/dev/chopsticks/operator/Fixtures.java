package dev.chopsticks.operator;

import dev.chopsticks.api.v1alpha1.BotSpec;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.DashboardSpec;
import dev.chopsticks.api.v1alpha1.PgBouncerSpec;
import dev.chopsticks.api.v1alpha1.PostgresSpec;
import dev.chopsticks.api.v1alpha1.RedisSpec;
import dev.chopsticks.api.v1alpha1.RolloutSpec;
import dev.chopsticks.api.v1alpha1.SecretKeyRef;
import dev.chopsticks.api.v1alpha1.ShardingSpec;
import dev.chopsticks.operator.common.PostgresConnection;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test clusters and secrets. The secret values are distinctive so tests can prove they never leak. */
public final class Fixtures {
    public static final String NAMESPACE = "bots";
    public static final String NAME = "chopsticks";
    public static final String IMAGE = "ghcr.io/chopsticks/bot-runtime:0.1.0";
    public static final String PG_SECRET = "chopsticks-db";
    public static final String DISCORD_SECRET = "discord";
    public static final String ADMIN_SECRET = "dashboard-admin";
    public static final String PG_PASSWORD = "pg-S3cret-\"quoted\"-pw";
    public static final String DISCORD_TOKEN = "discord-T0KEN-value";
    public static final String ADMIN_TOKEN = "admin-T0KEN-value";
    public static final PostgresConnection PG =
            new PostgresConnection("postgres.db.svc", 5432, "chopsticks", "bot", PG_PASSWORD);

    private Fixtures() {}

    public static ChopsticksClusterSpec spec(long guilds) {
        return new ChopsticksClusterSpec(
                guilds,
                ShardingSpec.defaults(),
                new BotSpec(IMAGE, new SecretKeyRef(DISCORD_SECRET, "token"), null, null, null, null, null, null),
                PgBouncerSpec.defaults(),
                RedisSpec.defaults(),
                new PostgresSpec(PG_SECRET, null),
                null,
                DashboardSpec.defaults());
    }

    public static ChopsticksCluster cluster(ChopsticksClusterSpec spec) {
        ChopsticksCluster c = new ChopsticksCluster(NAMESPACE, NAME, spec);
        c.getMetadata().setUid("0b6a8f7e-1111-2222-3333-444455556666");
        c.getMetadata().setGeneration(1L);
        return c;
    }

    public static ChopsticksCluster cluster(long guilds) {
        return cluster(spec(guilds));
    }

    public static ChopsticksClusterSpec withDashboard(ChopsticksClusterSpec s) {
        return new ChopsticksClusterSpec(
                s.guilds(),
                s.sharding(),
                s.bot(),
                s.pgbouncer(),
                s.redis(),
                s.postgres(),
                s.rollout(),
                new DashboardSpec(true, new SecretKeyRef(ADMIN_SECRET, "token")));
    }

    public static ChopsticksClusterSpec withImage(ChopsticksClusterSpec s, String image) {
        var b = s.bot();
        return new ChopsticksClusterSpec(
                s.guilds(),
                s.sharding(),
                new BotSpec(
                        image,
                        b.discordToken(),
                        b.gatewayUrl(),
                        b.apiBaseUrl(),
                        b.resources(),
                        b.pgPool(),
                        b.cache(),
                        b.env()),
                s.pgbouncer(),
                s.redis(),
                s.postgres(),
                s.rollout(),
                s.dashboard());
    }

    public static ChopsticksClusterSpec withBot(ChopsticksClusterSpec s, BotSpec bot) {
        return new ChopsticksClusterSpec(
                s.guilds(), s.sharding(), bot, s.pgbouncer(), s.redis(), s.postgres(), s.rollout(), s.dashboard());
    }

    public static ChopsticksClusterSpec withGuilds(ChopsticksClusterSpec s, long guilds) {
        return new ChopsticksClusterSpec(
                guilds, s.sharding(), s.bot(), s.pgbouncer(), s.redis(), s.postgres(), s.rollout(), s.dashboard());
    }

    public static ChopsticksClusterSpec withPgBouncer(ChopsticksClusterSpec s, PgBouncerSpec p) {
        return new ChopsticksClusterSpec(
                s.guilds(), s.sharding(), s.bot(), p, s.redis(), s.postgres(), s.rollout(), s.dashboard());
    }

    public static ChopsticksClusterSpec withPostgres(ChopsticksClusterSpec s, PostgresSpec p) {
        return new ChopsticksClusterSpec(
                s.guilds(), s.sharding(), s.bot(), s.pgbouncer(), s.redis(), p, s.rollout(), s.dashboard());
    }

    public static ChopsticksClusterSpec withRedis(ChopsticksClusterSpec s, RedisSpec r) {
        return new ChopsticksClusterSpec(
                s.guilds(), s.sharding(), s.bot(), s.pgbouncer(), r, s.postgres(), s.rollout(), s.dashboard());
    }

    public static ChopsticksClusterSpec withRollout(ChopsticksClusterSpec s, RolloutSpec r) {
        return new ChopsticksClusterSpec(
                s.guilds(), s.sharding(), s.bot(), s.pgbouncer(), s.redis(), s.postgres(), r, s.dashboard());
    }

    public static ChopsticksClusterSpec withSharding(ChopsticksClusterSpec s, ShardingSpec sh) {
        return new ChopsticksClusterSpec(
                s.guilds(), sh, s.bot(), s.pgbouncer(), s.redis(), s.postgres(), s.rollout(), s.dashboard());
    }

    public static Secret secret(String name, Map<String, String> plain) {
        Map<String, String> data = new LinkedHashMap<>();
        plain.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withData(data)
                .build();
    }

    public static Secret pgSecret() {
        return secret(
                PG_SECRET,
                Map.of(
                        "host",
                        PG.host(),
                        "port",
                        "5432",
                        "dbname",
                        PG.dbname(),
                        "user",
                        PG.user(),
                        "password",
                        PG_PASSWORD));
    }

    public static Secret discordSecret() {
        return secret(DISCORD_SECRET, Map.of("token", DISCORD_TOKEN));
    }

    public static Secret adminSecret() {
        return secret(ADMIN_SECRET, Map.of("token", ADMIN_TOKEN));
    }
}
