package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** A Redis the user runs: a URL in a Secret (standalone) or cluster nodes (REDIS_CLUSTER_NODES). */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
        value = "!has(self.clusterNodes) || self.clusterNodes.all(n, n.matches('^[^: ]+:[0-9]{1,5}$'))",
        message = "redis.external.clusterNodes entries must be host:port",
        fieldPath = ".clusterNodes",
        reason = "FieldValueForbidden")
public record ExternalRedisSpec(
        @JsonPropertyDescription("Secret key holding the redis:// or rediss:// URL, password included (REDIS_URL).")
        SecretKeyRef urlSecretRef,

        @JsonPropertyDescription("Redis Cluster seed nodes as host:port (REDIS_CLUSTER_NODES).") @Size(max = 100)
        List<@Size(max = 262) String> clusterNodes) {

    public ExternalRedisSpec {
        clusterNodes = clusterNodes == null ? List.of() : List.copyOf(clusterNodes);
    }
}
