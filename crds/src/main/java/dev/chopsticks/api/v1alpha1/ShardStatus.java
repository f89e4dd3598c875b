package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * Observed state of one shard. Two writers with separate field managers: the operator (shard, pod, restarts,
 * pod-side conditions) and the bot process (phase, guilds, gatewayPingMs, sessionStartedAt, lastHeartbeat, message).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShardStatus(
    @JsonPropertyDescription("The shard as 'id/count', e.g. 3/8, for kubectl get shards.")
    String shard,
    @JsonPropertyDescription("Gateway phase reported by the bot: Pending, Starting, Identifying, Ready, Resuming, Disconnected or Failed.")
    ShardPhase phase,
    @JsonPropertyDescription("Number of guilds this shard holds, as reported by the gateway.")
    Integer guilds,
    @JsonPropertyDescription("Last gateway heartbeat round trip in milliseconds.")
    Long gatewayPingMs,
    @JsonPropertyDescription("Name of the pod running this shard.")
    String pod,
    @JsonPropertyDescription("Container restarts of the pod running this shard, plus respawns by the operator.")
    Integer restarts,
    @JsonPropertyDescription("When the current gateway session was started (RFC 3339).")
    String sessionStartedAt,
    @JsonPropertyDescription("When the bot last reported a gateway heartbeat ACK (RFC 3339); stale values mark a zombie connection.")
    String lastHeartbeat,
    @JsonPropertyDescription("Human-readable detail on the current phase, e.g. why the shard failed.")
    String message,
    @JsonPropertyDescription("Kubernetes-style conditions of this shard.")
    List<StatusCondition> conditions) {

  public static ShardStatus empty() {
    return new ShardStatus(null, null, null, null, null, null, null, null, null, null);
  }
}
