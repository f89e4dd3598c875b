package dev.chopsticks.operator.bot;

import dev.chopsticks.api.v1alpha1.BotSpec;
import dev.chopsticks.api.v1alpha1.CacheSpec;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.Durations;
import dev.chopsticks.api.v1alpha1.EnvVarSpec;
import dev.chopsticks.api.v1alpha1.RedisMode;
import dev.chopsticks.api.v1alpha1.SecretKeyRef;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.Ports;
import dev.chopsticks.operator.common.PostgresConnection;
import dev.chopsticks.operator.plan.ShardPlan;
import dev.chopsticks.operator.redis.RedisPasswordSecret;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Environment of bot-runtime containers, with the scaling guide's variable names. Secret values never appear
 * here: passwords and tokens are secretKeyRefs, and URLs are assembled by Kubernetes' {@code $(VAR)} expansion
 * from variables that are themselves secretKeyRefs.
 */
public final class BotEnvironment {
    /** The shard generation of the pod (absent: 1). The bot handles events only while it is the active one. */
    public static final String GENERATION_ENV = "CHOPSTICKS_GENERATION";
    /** Prefix of the pod's Shard object names (absent: {@code <CHOPSTICKS_CLUSTER>-}). */
    public static final String SHARD_NAME_PREFIX_ENV = "SHARD_NAME_PREFIX";

    private BotEnvironment() {}

    /** Env of a generation-1 shard container. */
    public static List<EnvVar> shard(ChopsticksCluster cluster, ShardPlan plan) {
        return shard(cluster, plan, 1);
    }

    /**
     * Env of a shard container: sharding, Discord, the admin token, database, cache. From generation 2 also
     * {@code CHOPSTICKS_GENERATION} and {@code SHARD_NAME_PREFIX} (the bot's Shard objects are
     * {@code <prefix><shardId>}); generation 1 omits both (absent means generation 1 and {@code <cluster>-}), so the
     * pod template of clusters created before generations existed stays the same.
     */
    public static List<EnvVar> shard(ChopsticksCluster cluster, ShardPlan plan, int generation) {
        BotSpec bot = cluster.getSpec().bot();
        Env env = new Env();
        downwardApi(env);
        env.literal("CHOPSTICKS_CLUSTER", cluster.getMetadata().getName());
        env.literal("HTTP_PORT", Integer.toString(Ports.HTTP));
        env.literal("SHARD_COUNT", Integer.toString(plan.shards()));
        env.literal("SHARDS_PER_POD", Integer.toString(plan.shardsPerPod()));
        env.literal("MAX_CONCURRENCY", Integer.toString(plan.maxConcurrency()));
        // Only when asked for: an unchanged pod template for every cluster that does not use it.
        if (Boolean.TRUE.equals(cluster.getSpec().rollout().sessionHandOff())) {
            env.literal("GATEWAY_RELAY", "true");
        }
        if (generation > 1) {
            env.literal(GENERATION_ENV, Integer.toString(generation));
            env.literal(
                    SHARD_NAME_PREFIX_ENV,
                    Names.shardObjectPrefix(cluster.getMetadata().getName(), generation));
        }
        env.secret("DISCORD_TOKEN", bot.discordToken());
        adminToken(cluster, env);
        if (bot.gatewayUrl() != null) {
            env.literal("DISCORD_GATEWAY_URL", bot.gatewayUrl());
        }
        if (bot.apiBaseUrl() != null) {
            env.literal("DISCORD_API_BASE_URL", bot.apiBaseUrl());
        }
        database(cluster, env);
        redis(cluster, env);
        cache(bot.cache(), env);
        user(bot.env(), env);
        return env.list();
    }

    /** Env of the dashboard container: database, cache and the admin token. */
    public static List<EnvVar> dashboard(ChopsticksCluster cluster) {
        Env env = new Env();
        downwardApi(env);
        env.literal("CHOPSTICKS_CLUSTER", cluster.getMetadata().getName());
        env.literal("HTTP_PORT", Integer.toString(Ports.HTTP));
        adminToken(cluster, env);
        database(cluster, env);
        redis(cluster, env);
        cache(cluster.getSpec().bot().cache(), env);
        user(cluster.getSpec().bot().env(), env);
        return env.list();
    }

    /**
     * Env of the migrations Job: PostgreSQL directly (never through PgBouncer), credentials by secretKeyRef. Only
     * what {@code migrate} reads (PodContractIT): PGHOST, PGPORT, PGDATABASE and PGUSER are there for the
     * {@code $(VAR)} expansion of POSTGRES_URL.
     */
    public static List<EnvVar> migrations(ChopsticksCluster cluster) {
        Env env = new Env();
        String secret = cluster.getSpec().postgres().connectionSecret();
        env.secret("PGHOST", secret, PostgresConnection.KEY_HOST);
        env.secret("PGPORT", secret, PostgresConnection.KEY_PORT);
        env.secret("PGDATABASE", secret, PostgresConnection.KEY_DBNAME);
        env.secret("PGUSER", secret, PostgresConnection.KEY_USER);
        env.secret("PGPASSWORD", secret, PostgresConnection.KEY_PASSWORD);
        env.secret("POSTGRES_PASSWORD", secret, PostgresConnection.KEY_PASSWORD);
        env.literal("POSTGRES_URL", "postgres://$(PGUSER)@$(PGHOST):$(PGPORT)/$(PGDATABASE)");
        return env.list();
    }

    /**
     * The token of {@code /api/internal/status}, on every bot pod when the cluster has one (shards serve the endpoint
     * too); never a literal value.
     */
    private static void adminToken(ChopsticksCluster cluster, Env env) {
        SecretKeyRef admin = cluster.getSpec().dashboard().adminToken();
        if (admin != null) {
            env.secret("ADMIN_TOKEN", admin);
        }
    }

    private static void downwardApi(Env env) {
        env.field("POD_NAME", "metadata.name");
        env.field("POD_NAMESPACE", "metadata.namespace");
    }

    private static void database(ChopsticksCluster cluster, Env env) {
        ChopsticksClusterSpec spec = cluster.getSpec();
        String secret = spec.postgres().connectionSecret();
        env.secret("PGUSER", secret, PostgresConnection.KEY_USER);
        env.secret("PGDATABASE", secret, PostgresConnection.KEY_DBNAME);
        env.secret("PGPASSWORD", secret, PostgresConnection.KEY_PASSWORD);
        env.secret("POSTGRES_PASSWORD", secret, PostgresConnection.KEY_PASSWORD);
        if (spec.pgbouncer().enabled()) {
            env.literal(
                    "POSTGRES_URL",
                    "postgres://$(PGUSER)@" + Names.pgbouncer(cluster) + ":" + Ports.PGBOUNCER + "/$(PGDATABASE)");
        } else {
            env.secret("PGHOST", secret, PostgresConnection.KEY_HOST);
            env.secret("PGPORT", secret, PostgresConnection.KEY_PORT);
            env.literal("POSTGRES_URL", "postgres://$(PGUSER)@$(PGHOST):$(PGPORT)/$(PGDATABASE)");
        }
        env.literal("PG_POOL_MAX", Integer.toString(spec.bot().pgPool().max()));
        env.literal("PG_POOL_MIN", Integer.toString(spec.bot().pgPool().min()));
    }

    private static void redis(ChopsticksCluster cluster, Env env) {
        var redis = cluster.getSpec().redis();
        if (redis.mode() == RedisMode.MANAGED) {
            env.secret("REDIS_PASSWORD", Names.redisPassword(cluster), RedisPasswordSecret.KEY_PASSWORD);
            env.literal("REDIS_URL", "redis://" + Names.redis(cluster) + ":" + Ports.REDIS);
        } else if (redis.external() != null) {
            if (redis.external().urlSecretRef() != null) {
                env.secret("REDIS_URL", redis.external().urlSecretRef());
            } else if (!redis.external().clusterNodes().isEmpty()) {
                env.literal(
                        "REDIS_CLUSTER_NODES", String.join(",", redis.external().clusterNodes()));
            }
        }
    }

    private static void cache(CacheSpec cache, Env env) {
        env.literal("LOCAL_CACHE_GUILD_MAX", Integer.toString(cache.guildMax()));
        env.literal(
                "LOCAL_CACHE_GUILD_TTL",
                Long.toString(Durations.parse(cache.guildTtl()).toMillis()));
        env.literal("LOCAL_CACHE_USER_MAX", Integer.toString(cache.userMax()));
        env.literal(
                "LOCAL_CACHE_USER_TTL",
                Long.toString(Durations.parse(cache.userTtl()).toMillis()));
        long redisTtlMs = Durations.parse(cache.redisGuildTtl()).toMillis();
        env.literal("GUILD_CACHE_TTL_SEC", Long.toString(Math.max(1, (redisTtlMs + 999) / 1000)));
    }

    /** The user's extra env goes last and wins over ours on a name clash (one entry per name: SSA needs it). */
    private static void user(List<EnvVarSpec> extra, Env env) {
        for (EnvVarSpec e : extra) {
            if (e.secretKeyRef() != null) {
                env.secret(e.name(), e.secretKeyRef());
            } else {
                env.literal(e.name(), e.value() == null ? "" : e.value());
            }
        }
    }

    /** Ordered env with unique names; a redefinition replaces the earlier entry in place. */
    private static final class Env {
        private final Map<String, EnvVar> vars = new LinkedHashMap<>();

        void literal(String name, String value) {
            vars.put(name, new EnvVarBuilder().withName(name).withValue(value).build());
        }

        void secret(String name, SecretKeyRef ref) {
            secret(name, ref.name(), ref.key());
        }

        void secret(String name, String secret, String key) {
            vars.put(
                    name,
                    new EnvVarBuilder()
                            .withName(name)
                            .withNewValueFrom()
                            .withNewSecretKeyRef()
                            .withName(secret)
                            .withKey(key)
                            .endSecretKeyRef()
                            .endValueFrom()
                            .build());
        }

        /** fieldRef is an atomic struct: state the defaulted apiVersion, or the SSA matcher sees drift forever. */
        void field(String name, String path) {
            vars.put(
                    name,
                    new EnvVarBuilder()
                            .withName(name)
                            .withNewValueFrom()
                            .withNewFieldRef()
                            .withApiVersion("v1")
                            .withFieldPath(path)
                            .endFieldRef()
                            .endValueFrom()
                            .build());
        }

        List<EnvVar> list() {
            return new ArrayList<>(vars.values());
        }
    }
}
