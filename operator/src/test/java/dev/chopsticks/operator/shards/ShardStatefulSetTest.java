package dev.chopsticks.operator.shards;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.api.v1alpha1.BotSpec;
import dev.chopsticks.api.v1alpha1.CacheSpec;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.ContainerResources;
import dev.chopsticks.api.v1alpha1.EnvVarSpec;
import dev.chopsticks.api.v1alpha1.PgBouncerSpec;
import dev.chopsticks.api.v1alpha1.PgPoolSpec;
import dev.chopsticks.api.v1alpha1.RolloutSpec;
import dev.chopsticks.api.v1alpha1.SecretKeyRef;
import dev.chopsticks.api.v1alpha1.ShardingSpec;
import dev.chopsticks.operator.common.Annotations;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.plan.ShardPlan;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ShardStatefulSetTest {

    static StatefulSet sts(ChopsticksClusterSpec spec) {
        var c = cluster(spec);
        return ShardStatefulSet.desired(c, ShardPlan.compute(spec.guilds(), spec.sharding()));
    }

    static Container bot(StatefulSet sts) {
        return sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static Map<String, EnvVar> env(Container c) {
        return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity()));
    }

    @Test
    void replicasArePodsAndPodsRunContiguousRanges() {
        var spec = withSharding(spec(20_000), new ShardingSpec(null, null, 4, 16, null));
        StatefulSet sts = sts(spec);
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        Map<String, EnvVar> env = env(bot(sts));
        assertThat(env.get("SHARD_COUNT").getValue()).isEqualTo("10");
        assertThat(env.get("SHARDS_PER_POD").getValue()).isEqualTo("4");
        assertThat(env.get("MAX_CONCURRENCY").getValue()).isEqualTo("16");
        assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.name");
        assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(env.get("CHOPSTICKS_CLUSTER").getValue()).isEqualTo(NAME);
    }

    @Test
    void statefulSetShape() {
        StatefulSet sts = sts(spec(16_000));
        assertThat(sts.getMetadata().getName()).isEqualTo("chopsticks-shards");
        assertThat(sts.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(sts.getSpec().getReplicas()).isEqualTo(8);
        assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(sts.getSpec().getServiceName()).isEqualTo("chopsticks-shards");
        assertThat(sts.getSpec().getSelector().getMatchLabels())
                .containsEntry(Labels.COMPONENT, "shard")
                .containsEntry(Labels.INSTANCE, NAME)
                .doesNotContainKey(Labels.MANAGED_BY);
        assertThat(sts.getMetadata().getLabels())
                .containsEntry(Labels.NAME, "chopsticks")
                .containsEntry(Labels.INSTANCE, NAME)
                .containsEntry(Labels.COMPONENT, "shard")
                .containsEntry(Labels.MANAGED_BY, "chopsticks-operator")
                .containsEntry(Labels.PART_OF, "chopsticks");
        var pod = sts.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("chopsticks-bot");
        assertThat(pod.getTopologySpreadConstraints()).singleElement().satisfies(t -> {
            assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(t.getMaxSkew()).isEqualTo(1);
        });
        Container bot = bot(sts);
        assertThat(bot.getImage()).isEqualTo(IMAGE);
        assertThat(bot.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
        assertThat(bot.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(bot.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        // A slow start is not a dead process: liveness waits for the startup probe (up to 5 minutes).
        assertThat(bot.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(bot.getStartupProbe().getPeriodSeconds()
                        * bot.getStartupProbe().getFailureThreshold())
                .isEqualTo(300);
        assertThat(List.of(bot.getReadinessProbe(), bot.getStartupProbe(), bot.getLivenessProbe()))
                .allSatisfy(p -> assertThat(p.getTimeoutSeconds()).isEqualTo(3));
    }

    @Test
    void restrictedPodSecurity() {
        StatefulSet sts = sts(spec(16_000));
        var pod = sts.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        var sc = bot(sts).getSecurityContext();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(bot(sts).getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
    }

    @Test
    void scalingGuideEnvironment() {
        var bot = new BotSpec(
                IMAGE,
                new SecretKeyRef("discord", "token"),
                "ws://discord-sim:8090/gateway",
                "http://discord-sim:8090/api/v10/",
                null,
                new PgPoolSpec(8, 3),
                new CacheSpec(3000, "1m30s", 6000, "45s", "90s"),
                null);
        Map<String, EnvVar> env = env(bot(sts(withBot(spec(16_000), bot))));
        assertThat(env.get("PG_POOL_MAX").getValue()).isEqualTo("8");
        assertThat(env.get("PG_POOL_MIN").getValue()).isEqualTo("3");
        assertThat(env.get("LOCAL_CACHE_GUILD_MAX").getValue()).isEqualTo("3000");
        assertThat(env.get("LOCAL_CACHE_GUILD_TTL").getValue()).isEqualTo("90000");
        assertThat(env.get("LOCAL_CACHE_USER_MAX").getValue()).isEqualTo("6000");
        assertThat(env.get("LOCAL_CACHE_USER_TTL").getValue()).isEqualTo("45000");
        assertThat(env.get("GUILD_CACHE_TTL_SEC").getValue()).isEqualTo("90");
        assertThat(env.get("DISCORD_GATEWAY_URL").getValue()).isEqualTo("ws://discord-sim:8090/gateway");
        assertThat(env.get("DISCORD_API_BASE_URL").getValue()).isEqualTo("http://discord-sim:8090/api/v10/");
        assertThat(env.get("DISCORD_TOKEN").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("discord");
        assertThat(env.get("DISCORD_TOKEN").getValueFrom().getSecretKeyRef().getKey())
                .isEqualTo("token");
        assertThat(env.get("POSTGRES_URL").getValue())
                .isEqualTo("postgres://$(PGUSER)@chopsticks-pgbouncer:5432/$(PGDATABASE)");
        assertThat(env.get("PGPASSWORD").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo(PG_SECRET);
        assertThat(env.get("PGPASSWORD").getValueFrom().getSecretKeyRef().getKey())
                .isEqualTo("password");
        assertThat(env.get("POSTGRES_PASSWORD").getValueFrom().getSecretKeyRef().getKey())
                .isEqualTo("password");
        assertThat(env.get("REDIS_URL").getValue()).isEqualTo("redis://chopsticks-redis:6379");
        assertThat(env.get("REDIS_PASSWORD").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("chopsticks-redis-auth");
        // $(VAR) references must come after the variables they expand
        List<String> names =
                bot(sts(spec(16_000))).getEnv().stream().map(EnvVar::getName).toList();
        assertThat(names.indexOf("PGUSER")).isLessThan(names.indexOf("POSTGRES_URL"));
        assertThat(names.indexOf("PGDATABASE")).isLessThan(names.indexOf("POSTGRES_URL"));
        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void sessionHandOffTurnsTheGatewayRelayOnAndOnlyThenChangesTheTemplate() {
        assertThat(env(bot(sts(spec(16_000))))).doesNotContainKey("GATEWAY_RELAY");
        var handOff = withRollout(spec(16_000), new RolloutSpec(null, null, null, null, null, true));
        assertThat(env(bot(sts(handOff))).get("GATEWAY_RELAY").getValue()).isEqualTo("true");
        assertThat(BotSpec.RESERVED_ENV).contains("'GATEWAY_RELAY': 'spec.rollout.sessionHandOff'");
    }

    @Test
    void adminTokenBySecretKeyRefWhenTheClusterHasOne() {
        assertThat(env(bot(sts(spec(16_000))))).doesNotContainKey("ADMIN_TOKEN");
        EnvVar admin = env(bot(sts(withDashboard(spec(16_000))))).get("ADMIN_TOKEN");
        assertThat(admin.getValue()).isNull();
        assertThat(admin.getValueFrom().getSecretKeyRef().getName()).isEqualTo(ADMIN_SECRET);
        assertThat(admin.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
    }

    @Test
    void userEnvIsAppendedAndWinsOnClashes() {
        var bot = new BotSpec(
                IMAGE,
                new SecretKeyRef("discord", "token"),
                null,
                null,
                new ContainerResources(Map.of("cpu", "250m", "memory", "384Mi"), Map.of("memory", "512Mi")),
                null,
                null,
                List.of(
                        new EnvVarSpec("LOG_LEVEL", "DEBUG", null),
                        new EnvVarSpec("PG_POOL_MAX", "9", null),
                        new EnvVarSpec("WEATHER_KEY", null, new SecretKeyRef("apis", "weather"))));
        Container c = bot(sts(withBot(spec(16_000), bot)));
        Map<String, EnvVar> env = env(c);
        assertThat(env.get("LOG_LEVEL").getValue()).isEqualTo("DEBUG");
        assertThat(env.get("PG_POOL_MAX").getValue()).isEqualTo("9");
        assertThat(env.get("WEATHER_KEY").getValueFrom().getSecretKeyRef().getKey())
                .isEqualTo("weather");
        assertThat(c.getEnv().stream().map(EnvVar::getName).toList()).doesNotHaveDuplicates();
        assertThat(c.getResources().getRequests().get("cpu").toString()).isEqualTo("250m");
        assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
    }

    @Test
    void withoutPgBouncerBotsConnectToPostgresDirectly() {
        var spec = withPgBouncer(spec(16_000), new PgBouncerSpec(false, null, null, null, null, null, null));
        Map<String, EnvVar> env = env(bot(sts(spec)));
        assertThat(env.get("POSTGRES_URL").getValue())
                .isEqualTo("postgres://$(PGUSER)@$(PGHOST):$(PGPORT)/$(PGDATABASE)");
        assertThat(env.get("PGHOST").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("host");
    }

    @Test
    void podTemplateHashIsStableAndFollowsTheTemplate() {
        StatefulSet a = sts(spec(16_000));
        StatefulSet again = sts(spec(16_000));
        String hash = ShardStatefulSet.podTemplateHash(a);
        assertThat(hash).isNotBlank().isEqualTo(ShardStatefulSet.podTemplateHash(again));
        assertThat(a.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(Annotations.POD_TEMPLATE_HASH, hash);
        // more guilds, same shard count: same template
        assertThat(ShardStatefulSet.podTemplateHash(sts(spec(15_500)))).isEqualTo(hash);
        // new image or new shard count: new template
        assertThat(ShardStatefulSet.podTemplateHash(sts(withImage(spec(16_000), IMAGE + "-2"))))
                .isNotEqualTo(hash);
        assertThat(ShardStatefulSet.podTemplateHash(sts(spec(24_000)))).isNotEqualTo(hash);
    }

    @Test
    void noSecretValueInTheSpec() {
        String json = Serialization.asJson(sts(withDashboard(spec(16_000))));
        assertThat(json)
                .doesNotContain(PG_PASSWORD)
                .doesNotContain(DISCORD_TOKEN)
                .doesNotContain(ADMIN_TOKEN);
    }
}
