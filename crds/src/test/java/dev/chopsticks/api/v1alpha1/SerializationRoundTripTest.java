package dev.chopsticks.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both kinds through Jackson the way the operator and the bot read them. */
class SerializationRoundTripTest {

    private static final String MINIMAL = """
      apiVersion: chopsticks.dev/v1alpha1
      kind: ChopsticksCluster
      metadata:
        name: chopsticks
        namespace: bots
      spec:
        guilds: 16000
        bot:
          image: ghcr.io/chopsticks/bot-runtime:0.1.0
          discordToken: {name: discord, key: token}
        postgres:
          connectionSecret: chopsticks-db
        somethingNew: ignored
      """;

    @Test
    void minimalClusterGetsTheScalingGuideDefaults() {
        ChopsticksCluster cluster = Serialization.unmarshal(MINIMAL, ChopsticksCluster.class);
        ChopsticksClusterSpec spec = cluster.getSpec();

        assertThat(spec.guilds()).isEqualTo(16000L);
        assertThat(spec.sharding().guildsPerShard()).isEqualTo(2000);
        assertThat(spec.sharding().shardsPerPod()).isEqualTo(1);
        assertThat(spec.sharding().maxConcurrency()).isEqualTo(1);
        assertThat(spec.sharding().shards()).isNull();
        assertThat(spec.bot().pgPool().max()).isEqualTo(5);
        assertThat(spec.bot().pgPool().min()).isEqualTo(2);
        assertThat(spec.bot().cache().guildMax()).isEqualTo(2000);
        assertThat(Durations.parse(spec.bot().cache().guildTtl())).isEqualTo(Duration.ofSeconds(60));
        assertThat(spec.bot().cache().userMax()).isEqualTo(5000);
        assertThat(Durations.parse(spec.bot().cache().userTtl())).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse(spec.bot().cache().redisGuildTtl())).isEqualTo(Duration.ofSeconds(60));
        assertThat(spec.pgbouncer().enabled()).isTrue();
        assertThat(spec.pgbouncer().poolMode()).isEqualTo(PoolMode.TRANSACTION);
        assertThat(spec.pgbouncer().defaultPoolSize()).isEqualTo(25);
        assertThat(spec.pgbouncer().maxClientConn()).isEqualTo(1000);
        assertThat(spec.redis().mode()).isEqualTo(RedisMode.MANAGED);
        assertThat(spec.redis().maxMemory()).isEqualTo("256mb");
        assertThat(spec.redis().maxMemoryPolicy()).isEqualTo(MaxMemoryPolicy.ALLKEYS_LRU);
        assertThat(spec.redis().appendOnly()).isTrue();
        assertThat(spec.postgres().maxConnections()).isEqualTo(200);
        assertThat(Durations.parse(spec.rollout().respawnDelay())).isEqualTo(Duration.ofMillis(5500));
        assertThat(spec.rollout().paused()).isFalse();
        assertThat(spec.dashboard().enabled()).isFalse();
    }

    @Test
    void unknownFieldsArePrunedAsTheStructuralSchemaDoes() {
        ChopsticksCluster cluster = Serialization.unmarshal(MINIMAL, ChopsticksCluster.class);
        String yaml = Serialization.asYaml(cluster);
        assertThat(yaml).doesNotContain("somethingNew");
    }

    @Test
    void clusterSurvivesARoundTrip() {
        ChopsticksCluster cluster = Serialization.unmarshal(MINIMAL, ChopsticksCluster.class);
        cluster.setStatus(new ChopsticksClusterStatus(
                3L,
                ClusterPhase.Ready,
                List.of(new StatusCondition(
                        "Ready", "True", "AllShardsReady", "8/8 shards ready", "2026-11-29T06:00:00Z", 3L)),
                8,
                8,
                16000L,
                new IdentifyStatus(8, 992, 1000),
                null));
        ChopsticksCluster again = Serialization.unmarshal(Serialization.asYaml(cluster), ChopsticksCluster.class);
        assertThat(again.getSpec()).isEqualTo(cluster.getSpec());
        assertThat(again.getStatus()).isEqualTo(cluster.getStatus());
        assertThat(again.getSpec().redis().maxMemoryPolicy().configValue()).isEqualTo("allkeys-lru");
        assertThat(Serialization.asYaml(cluster))
                .contains("poolMode: \"transaction\"")
                .contains("maxMemoryPolicy: \"allkeys-lru\"");
    }

    @Test
    void shardSurvivesARoundTrip() {
        Shard shard = new Shard("bots", "chopsticks-3", new ShardSpec("chopsticks", 3, 8));
        shard.setStatus(new ShardStatus(
                "3/8",
                ShardPhase.Ready,
                2011,
                41L,
                "chopsticks-shards-3",
                0,
                "2026-11-29T06:00:00Z",
                "2026-11-29T06:01:00Z",
                null,
                null));
        Shard again = Serialization.unmarshal(Serialization.asYaml(shard), Shard.class);
        assertThat(again.getSpec()).isEqualTo(shard.getSpec());
        assertThat(again.getStatus()).isEqualTo(shard.getStatus());
        assertThat(again.getApiVersion()).isEqualTo("chopsticks.dev/v1alpha1");
        assertThat(again.getKind()).isEqualTo("Shard");
    }

    @Test
    void unknownEnumValueIsAnError() {
        String bad = MINIMAL.replace("somethingNew: ignored", "pgbouncer: {poolMode: statement}");
        assertThatThrownBy(() -> Serialization.unmarshal(bad, ChopsticksCluster.class))
                .hasMessageContaining("statement");
    }

    @Test
    void durationsParseGoStyle() {
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("5.5s")).isEqualTo(Duration.ofMillis(5500));
        assertThatThrownBy(() -> Durations.parse("5 seconds")).hasMessageContaining("5 seconds");
    }
}
