package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * Observed state of one shard. Two writers with separate field managers: the operator (shard, pod, restarts,
 * conditions such as Respawn) and the bot process (phase, guilds, gatewayPingMs, sessionStartedAt, lastHeartbeat,
 * message, identifyRemaining, identifyTotal, session).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShardStatus(
        @JsonPropertyDescription("The shard as 'id/count', e.g. 3/8, for kubectl get shards.")
        String shard,

        @JsonPropertyDescription(
                "Gateway phase reported by the bot: Pending, Starting, Identifying, Ready, Standby (warm, waiting to take"
                        + " its session over from the serving generation), Resuming, Disconnected or Failed.")
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

        @JsonPropertyDescription(
                "When the bot last reported a gateway heartbeat ACK (RFC 3339); stale values mark a zombie connection.")
        String lastHeartbeat,

        @JsonPropertyDescription("Human-readable detail on the current phase, e.g. why the shard failed.")
        String message,

        @JsonPropertyDescription(
                "Kubernetes-style conditions of this shard, written by the operator: Respawn=False (reason RestartCapReached or IdentifyBudgetLow) when the operator stopped respawning it.")
        List<StatusCondition> conditions,

        @JsonPropertyDescription(
                "Discord's session_start_limit.remaining as last seen by the bot running this shard (GET /gateway/bot).")
        Integer identifyRemaining,

        @JsonPropertyDescription("Discord's session_start_limit.total as last seen by the bot running this shard.")
        Integer identifyTotal,

        @JsonPropertyDescription(
                "How the current gateway session began, reported by the bot: Identified (a new session, one of"
                        + " Discord's session starts) or Resumed (taken over from the previous process or connection"
                        + " by RESUME: no IDENTIFY, the missed events replayed).")
        String session) {

    /** Identified: the session is new (an IDENTIFY). */
    public static final String IDENTIFIED = "Identified";
    /** Resumed: the session was taken over by RESUME. */
    public static final String RESUMED = "Resumed";

    /** Without the identify budget fields. */
    public ShardStatus(
            String shard,
            ShardPhase phase,
            Integer guilds,
            Long gatewayPingMs,
            String pod,
            Integer restarts,
            String sessionStartedAt,
            String lastHeartbeat,
            String message,
            List<StatusCondition> conditions) {
        this(
                shard,
                phase,
                guilds,
                gatewayPingMs,
                pod,
                restarts,
                sessionStartedAt,
                lastHeartbeat,
                message,
                conditions,
                null,
                null,
                null);
    }

    /** Without how the session began. */
    public ShardStatus(
            String shard,
            ShardPhase phase,
            Integer guilds,
            Long gatewayPingMs,
            String pod,
            Integer restarts,
            String sessionStartedAt,
            String lastHeartbeat,
            String message,
            List<StatusCondition> conditions,
            Integer identifyRemaining,
            Integer identifyTotal) {
        this(
                shard,
                phase,
                guilds,
                gatewayPingMs,
                pod,
                restarts,
                sessionStartedAt,
                lastHeartbeat,
                message,
                conditions,
                identifyRemaining,
                identifyTotal,
                null);
    }

    public static ShardStatus empty() {
        return new ShardStatus(null, null, null, null, null, null, null, null, null, null);
    }
}
