package dev.chopsticks.operator.shards;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.ExternalRedisSpec;
import dev.chopsticks.api.v1alpha1.RedisMode;
import dev.chopsticks.api.v1alpha1.RedisSpec;
import dev.chopsticks.api.v1alpha1.SecretKeyRef;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import dev.chopsticks.operator.bot.BotEnvironment;
import dev.chopsticks.operator.plan.ShardPlan;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FiltersAndEnvTest {

    static Map<String, EnvVar> env(ChopsticksClusterSpec spec) {
        return BotEnvironment.shard(cluster(spec), ShardPlan.compute(spec.guilds(), spec.sharding())).stream()
                .collect(Collectors.toMap(EnvVar::getName, Function.identity()));
    }

    @Test
    void externalRedisByUrlSecretOrClusterNodes() {
        var byUrl = env(withRedis(
                spec(16_000),
                new RedisSpec(
                        RedisMode.EXTERNAL,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new ExternalRedisSpec(new SecretKeyRef("redis", "url"), null))));
        assertThat(byUrl.get("REDIS_URL").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("redis");
        assertThat(byUrl).doesNotContainKey("REDIS_PASSWORD").doesNotContainKey("REDIS_CLUSTER_NODES");
        var nodes = env(withRedis(
                spec(16_000),
                new RedisSpec(
                        RedisMode.EXTERNAL,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new ExternalRedisSpec(null, List.of("r1:6379", "r2:6379")))));
        assertThat(nodes.get("REDIS_CLUSTER_NODES").getValue()).isEqualTo("r1:6379,r2:6379");
        assertThat(nodes).doesNotContainKey("REDIS_URL");
    }

    static Shard shard(ShardStatus status) {
        Shard s = ShardObjects.desired(cluster(16_000), ShardPlan.compute(16_000, null), 1);
        s.setStatus(status);
        return s;
    }

    @Test
    void heartbeatsAndPingsDoNotTriggerReconciles() {
        var filter = new ShardUpdateFilter();
        var before = shard(new ShardStatus("1/8", ShardPhase.Ready, 2000, 40L, "p", 0, "t0", "h0", null, null));
        var heartbeat = shard(new ShardStatus("1/8", ShardPhase.Ready, 2001, 42L, "p", 0, "t0", "h1", null, null));
        var phase = shard(new ShardStatus("1/8", ShardPhase.Resuming, 2000, 40L, "p", 0, "t0", "h1", null, null));
        assertThat(filter.accept(heartbeat, before)).isFalse();
        assertThat(filter.accept(phase, before)).isTrue();
        var relabelled = shard(before.getStatus());
        relabelled.getMetadata().getLabels().put("x", "y");
        assertThat(filter.accept(relabelled, before)).isTrue();
    }

    @Test
    void podRestartsAndReadinessTriggerReconciles() {
        var filter = ShardPods.podChangesWorthAReconcile();
        var base = new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .endMetadata()
                .withNewStatus()
                .withPhase("Running")
                .addNewContainerStatus()
                .withName("bot")
                .withRestartCount(0)
                .endContainerStatus()
                .endStatus()
                .build();
        var restarted = new PodBuilder(base)
                .editStatus()
                .editFirstContainerStatus()
                .withRestartCount(1)
                .endContainerStatus()
                .endStatus()
                .build();
        var ready = new PodBuilder(base)
                .editStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
        var ipOnly = new PodBuilder(base)
                .editStatus()
                .withPodIP("10.0.0.1")
                .endStatus()
                .build();
        assertThat(filter.accept(restarted, base)).isTrue();
        assertThat(filter.accept(ready, base)).isTrue();
        assertThat(filter.accept(ipOnly, base)).isFalse();
    }
}
