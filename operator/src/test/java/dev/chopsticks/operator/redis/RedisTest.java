package dev.chopsticks.operator.redis;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.api.v1alpha1.MaxMemoryPolicy;
import dev.chopsticks.api.v1alpha1.RedisSpec;
import dev.chopsticks.operator.common.Labels;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisTest {

    @Test
    void configMapCarriesTheTuning() {
        var spec = withRedis(
                spec(16_000), new RedisSpec(null, null, "512mb", MaxMemoryPolicy.ALLKEYS_LFU, false, null, null, null));
        var cm = RedisConfigMap.desired(cluster(spec));
        assertThat(cm.getMetadata().getName()).isEqualTo("chopsticks-redis-config");
        String conf = cm.getData().get("redis.conf");
        assertThat(conf)
                .contains(
                        "maxmemory 512mb\n",
                        "maxmemory-policy allkeys-lfu\n",
                        "appendonly no\n",
                        "include /etc/redis-auth/auth.conf\n")
                .doesNotContain("requirepass");
        assertThat(RedisConfigMap.desired(cluster(16_000)).getData().get("redis.conf"))
                .contains("maxmemory 256mb\n", "maxmemory-policy allkeys-lru\n", "appendonly yes\n");
    }

    @Test
    void passwordSecretHoldsPasswordAndRequirepass() {
        var secret = RedisPasswordSecret.desired(cluster(16_000), "pw123");
        assertThat(secret.getMetadata().getName()).isEqualTo("chopsticks-redis-auth");
        assertThat(decode(secret.getData().get("password"))).isEqualTo("pw123");
        assertThat(decode(secret.getData().get("auth.conf"))).isEqualTo("requirepass pw123\n");
    }

    @Test
    void generatedPasswordsAreLongAndDistinct() {
        String a = RedisPasswordSecret.generatePassword();
        String b = RedisPasswordSecret.generatePassword();
        assertThat(a).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(b);
    }

    @Test
    void statefulSetWithClaimAndMounts() {
        var sts = RedisStatefulSet.desired(cluster(16_000), Optional.empty());
        assertThat(sts.getMetadata().getName()).isEqualTo("chopsticks-redis");
        assertThat(sts.getSpec().getReplicas()).isEqualTo(1);
        assertThat(sts.getSpec().getVolumeClaimTemplates())
                .singleElement()
                .satisfies(pvc -> assertThat(pvc.getSpec()
                                .getResources()
                                .getRequests()
                                .get("storage")
                                .toString())
                        .isEqualTo("1Gi"));
        var pod = sts.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
                .isTrue();
        assertThat(pod.getContainers().get(0).getCommand()).containsExactly("redis-server", "/etc/redis/redis.conf");
        assertThat(pod.getVolumes())
                .anySatisfy(v -> assertThat(v.getSecret())
                        .isNotNull()
                        .satisfies(s -> assertThat(s.getSecretName()).isEqualTo("chopsticks-redis-auth")));
        assertThat(sts.getSpec().getSelector().getMatchLabels()).containsEntry(Labels.COMPONENT, "redis");
        assertThat(Serialization.asJson(sts)).doesNotContain("requirepass");
    }

    @Test
    void existingClaimSizeIsKept() {
        var sts = RedisStatefulSet.desired(cluster(16_000), Optional.of("5Gi"));
        assertThat(sts.getSpec()
                        .getVolumeClaimTemplates()
                        .get(0)
                        .getSpec()
                        .getResources()
                        .getRequests()
                        .get("storage")
                        .toString())
                .isEqualTo("5Gi");
    }

    @Test
    void configChangeRollsRedis() {
        String a = RedisStatefulSet.desired(cluster(16_000), Optional.empty())
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get("chopsticks.dev/config-hash");
        var spec = withRedis(spec(16_000), new RedisSpec(null, null, "512mb", null, null, null, null, null));
        String b = RedisStatefulSet.desired(cluster(spec), Optional.empty())
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get("chopsticks.dev/config-hash");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void service() {
        var svc = RedisService.desired(cluster(16_000));
        assertThat(svc.getSpec().getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(6379));
        assertThat(svc.getSpec().getSelector()).containsEntry(Labels.COMPONENT, "redis");
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }
}
