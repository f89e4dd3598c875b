package dev.chopsticks.operator.redis;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.ClusterDependent;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The managed Redis password, generated once. Create-only (no Updater): an existing Secret is never rewritten, so
 * the password stays stable across reconciles and operator restarts; deleting the Secret makes a new one.
 * Keys: {@value #KEY_PASSWORD} (for REDIS_PASSWORD) and {@value #KEY_CONF} ({@code requirepass}, included by
 * redis.conf).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_REDIS))
public class RedisPasswordSecret extends ClusterDependent<Secret> {

    public static final String KEY_PASSWORD = "password";
    public static final String KEY_CONF = "auth.conf";
    public static final String MOUNT = "/etc/redis-auth";
    private static final SecureRandom RANDOM = new SecureRandom();

    public RedisPasswordSecret() {
        super(Secret.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.redisPassword(cluster);
    }

    @Override
    protected Secret desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        // Only called to create: reuse a password if the Secret exists after all (cache lag), else generate.
        String password = getSecondaryResource(cluster, context)
                .map(s -> s.getData() == null ? null : s.getData().get(KEY_PASSWORD))
                .map(b64 -> new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8))
                .orElseGet(RedisPasswordSecret::generatePassword);
        return desired(cluster, password);
    }

    /** Pure given the password. */
    public static Secret desired(ChopsticksCluster cluster, String password) {
        Map<String, String> data = new TreeMap<>();
        data.put(KEY_PASSWORD, b64(password));
        data.put(KEY_CONF, b64("requirepass " + password + "\n"));
        return new SecretBuilder()
                .withMetadata(Metadata.of(cluster, Names.redisPassword(cluster), Component.REDIS))
                .withType("Opaque")
                .withData(data)
                .build();
    }

    /** 256 random bits, URL-safe base64 (no characters that need quoting in redis.conf or URLs). */
    public static String generatePassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
