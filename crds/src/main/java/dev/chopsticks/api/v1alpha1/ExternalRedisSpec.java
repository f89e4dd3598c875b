package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

/** A Redis the user runs: a URL in a Secret (standalone) or cluster nodes (REDIS_CLUSTER_NODES). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExternalRedisSpec(
        @JsonPropertyDescription("Secret key holding the redis:// or rediss:// URL, password included (REDIS_URL).")
        SecretKeyRef urlSecretRef,

        @JsonPropertyDescription("Redis Cluster seed nodes as host:port (REDIS_CLUSTER_NODES).")
        List<@Pattern("^[^:\\s]+:[0-9]{1,5}$") String> clusterNodes) {

    public ExternalRedisSpec {
        clusterNodes = clusterNodes == null ? List.of() : List.copyOf(clusterNodes);
    }
}
