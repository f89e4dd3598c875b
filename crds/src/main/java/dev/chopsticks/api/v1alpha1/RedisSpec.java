package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The shared L2 cache and cross-shard invalidation bus. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
        value =
                "self.mode != 'external' || (has(self.external) && (has(self.external.urlSecretRef) || (has(self.external.clusterNodes) && size(self.external.clusterNodes) > 0)))",
        message = "redis.mode external needs redis.external.urlSecretRef or redis.external.clusterNodes",
        fieldPath = ".mode",
        reason = "FieldValueRequired")
@ValidationRule(
        value = "self.image.matches('" + SchemaLimits.IMAGE_REFERENCE + "')",
        message =
                "redis.image must be an image reference such as docker.io/library/redis:7.4-alpine (lower-case name, no spaces)",
        fieldPath = ".image",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "self.maxMemory.matches('^[0-9]+(b|kb|mb|gb|KB|MB|GB)$')",
        message = "redis.maxMemory must be a Redis size such as 256mb or 1gb",
        fieldPath = ".maxMemory",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "isQuantity(self.storageSize) && quantity(self.storageSize).isGreaterThan(quantity('0'))",
        message = "redis.storageSize must be a positive Kubernetes quantity such as 1Gi",
        fieldPath = ".storageSize",
        reason = "FieldValueForbidden")
public record RedisSpec(
        @Default("managed")
        @JsonPropertyDescription("managed: the operator runs a Redis StatefulSet; external: use redis.external.")
        RedisMode mode,

        @Default(DEFAULT_IMAGE) @Size(min = 1, max = 512) @JsonPropertyDescription("Redis image for managed mode.")
        String image,

        @Default("256mb")
        @Size(max = 32)
        @JsonPropertyDescription("maxmemory, e.g. 256mb (the scaling guide's value for 200k DAU).")
        String maxMemory,

        @Default("allkeys-lru") @JsonPropertyDescription("maxmemory-policy.")
        MaxMemoryPolicy maxMemoryPolicy,

        @Default("true") @JsonPropertyDescription("appendonly: persist writes to the append-only file.")
        Boolean appendOnly,

        @Default("1Gi") @Size(max = 32) @JsonPropertyDescription("Size of the managed Redis PersistentVolumeClaim.")
        String storageSize,

        @JsonPropertyDescription("CPU and memory of the managed Redis container.")
        ContainerResources resources,

        @JsonPropertyDescription("Connection details for external mode.")
        ExternalRedisSpec external) {

    public static final String DEFAULT_IMAGE = "docker.io/library/redis:7.4-alpine";

    public RedisSpec {
        mode = mode == null ? RedisMode.MANAGED : mode;
        image = image == null ? DEFAULT_IMAGE : image;
        maxMemory = maxMemory == null ? "256mb" : maxMemory;
        maxMemoryPolicy = maxMemoryPolicy == null ? MaxMemoryPolicy.ALLKEYS_LRU : maxMemoryPolicy;
        appendOnly = appendOnly == null ? Boolean.TRUE : appendOnly;
        storageSize = storageSize == null ? "1Gi" : storageSize;
    }

    public static RedisSpec defaults() {
        return new RedisSpec(null, null, null, null, null, null, null, null);
    }
}
