package dev.chopsticks.discordsim;

import dev.chopsticks.discordsim.gateway.GatewaySettings;
import dev.chopsticks.discordsim.gateway.Intents;
import dev.chopsticks.discordsim.world.WorldSpec;
import java.time.Duration;

/**
 * Everything that shapes a simulator instance. Defaults mirror Discord's documented values; tests shrink
 * the time windows through the builder.
 *
 * @param publicUrl base URL clients are told to use ({@code http://host:port}); null means the bound address
 * @param heartbeatInterval sent in HELLO; a connection silent for 1.5 intervals is closed with 4009
 * @param gatewaySendLimit client payloads allowed per {@code gatewaySendWindow} before close 4008
 * @param resumeTimeout how long a session whose connection dropped or closed with a code other than 1000/1001 stays
 *     resumable (Discord: "a few minutes", no figure documented; default 3 min)
 * @param resumeBuffer frames kept per session for RESUME replay; a detached session that overflows it is invalidated
 * @param reconnectGrace after op 7 RECONNECT, how long the client has to close before the simulator does
 * @param interactionAckDeadline time to send the initial interaction response (Discord: 3 s)
 * @param interactionTokenLifetime how long follow-ups and @original edits are accepted (Discord: 15 min)
 * @param globalRateLimit authenticated requests per second per token before a global 429
 * @param routeRateLimit requests per {@code routeRateWindow} per route bucket before a route 429
 * @param allowedPrivilegedIntents privileged intent bits the bot is approved for; others close 4014
 */
public record SimConfig(
        String host,
        int port,
        String publicUrl,
        String token,
        WorldSpec world,
        int maxConcurrency,
        Duration identifyWindow,
        int sessionStartTotal,
        Duration heartbeatInterval,
        int gatewaySendLimit,
        Duration gatewaySendWindow,
        int maxPayloadBytes,
        int maxGuildsPerShard,
        Duration resumeTimeout,
        int resumeBuffer,
        Duration reconnectGrace,
        Duration interactionAckDeadline,
        Duration interactionTokenLifetime,
        int globalRateLimit,
        int routeRateLimit,
        Duration routeRateWindow,
        int allowedPrivilegedIntents) {

    public static final String DEFAULT_TOKEN = "sim-bot-token";

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The values the gateway works with. */
    public GatewaySettings gatewaySettings() {
        return new GatewaySettings(
                heartbeatInterval,
                gatewaySendLimit,
                gatewaySendWindow,
                maxPayloadBytes,
                allowedPrivilegedIntents,
                maxGuildsPerShard,
                resumeBuffer,
                resumeTimeout,
                reconnectGrace);
    }

    /** Fluent builder; every setter has a Discord-like default. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private String publicUrl;
        private String token = DEFAULT_TOKEN;
        private int guilds = 10;
        private int membersPerGuild = 3;
        private int userPool = 100;
        private String botName = "Chopsticks";
        private long applicationId = WorldSpec.DEFAULT_APPLICATION_ID;
        private int maxConcurrency = 1;
        private Duration identifyWindow = Duration.ofSeconds(5);
        private int sessionStartTotal = 1_000;
        private Duration heartbeatInterval = Duration.ofMillis(41_250);
        private int gatewaySendLimit = 120;
        private Duration gatewaySendWindow = Duration.ofSeconds(60);
        private int maxPayloadBytes = 4_096;
        private int maxGuildsPerShard = 2_500;
        private Duration resumeTimeout = Duration.ofMinutes(3);
        private int resumeBuffer = 10_000;
        private Duration reconnectGrace = Duration.ofSeconds(5);
        private Duration interactionAckDeadline = Duration.ofSeconds(3);
        private Duration interactionTokenLifetime = Duration.ofMinutes(15);
        private int globalRateLimit = 50;
        private int routeRateLimit = 50;
        private Duration routeRateWindow = Duration.ofSeconds(1);
        private int allowedPrivilegedIntents = Intents.PRIVILEGED;

        private Builder() {}

        private Builder(SimConfig c) {
            host = c.host;
            port = c.port;
            publicUrl = c.publicUrl;
            token = c.token;
            guilds = c.world.guilds();
            membersPerGuild = c.world.membersPerGuild();
            userPool = c.world.userPool();
            botName = c.world.botName();
            applicationId = c.world.applicationId();
            maxConcurrency = c.maxConcurrency;
            identifyWindow = c.identifyWindow;
            sessionStartTotal = c.sessionStartTotal;
            heartbeatInterval = c.heartbeatInterval;
            gatewaySendLimit = c.gatewaySendLimit;
            gatewaySendWindow = c.gatewaySendWindow;
            maxPayloadBytes = c.maxPayloadBytes;
            maxGuildsPerShard = c.maxGuildsPerShard;
            resumeTimeout = c.resumeTimeout;
            resumeBuffer = c.resumeBuffer;
            reconnectGrace = c.reconnectGrace;
            interactionAckDeadline = c.interactionAckDeadline;
            interactionTokenLifetime = c.interactionTokenLifetime;
            globalRateLimit = c.globalRateLimit;
            routeRateLimit = c.routeRateLimit;
            routeRateWindow = c.routeRateWindow;
            allowedPrivilegedIntents = c.allowedPrivilegedIntents;
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder publicUrl(String v) {
            publicUrl = v;
            return this;
        }

        public Builder token(String v) {
            token = v;
            return this;
        }

        public Builder guilds(int v) {
            guilds = v;
            return this;
        }

        public Builder membersPerGuild(int v) {
            membersPerGuild = v;
            return this;
        }

        public Builder userPool(int v) {
            userPool = v;
            return this;
        }

        public Builder botName(String v) {
            botName = v;
            return this;
        }

        public Builder applicationId(long v) {
            applicationId = v;
            return this;
        }

        public Builder maxConcurrency(int v) {
            maxConcurrency = v;
            return this;
        }

        public Builder identifyWindow(Duration v) {
            identifyWindow = v;
            return this;
        }

        public Builder sessionStartTotal(int v) {
            sessionStartTotal = v;
            return this;
        }

        public Builder heartbeatInterval(Duration v) {
            heartbeatInterval = v;
            return this;
        }

        public Builder gatewaySendLimit(int v) {
            gatewaySendLimit = v;
            return this;
        }

        public Builder gatewaySendWindow(Duration v) {
            gatewaySendWindow = v;
            return this;
        }

        public Builder maxPayloadBytes(int v) {
            maxPayloadBytes = v;
            return this;
        }

        public Builder maxGuildsPerShard(int v) {
            maxGuildsPerShard = v;
            return this;
        }

        public Builder resumeTimeout(Duration v) {
            resumeTimeout = v;
            return this;
        }

        public Builder resumeBuffer(int v) {
            resumeBuffer = v;
            return this;
        }

        public Builder reconnectGrace(Duration v) {
            reconnectGrace = v;
            return this;
        }

        public Builder interactionAckDeadline(Duration v) {
            interactionAckDeadline = v;
            return this;
        }

        public Builder interactionTokenLifetime(Duration v) {
            interactionTokenLifetime = v;
            return this;
        }

        public Builder globalRateLimit(int v) {
            globalRateLimit = v;
            return this;
        }

        public Builder routeRateLimit(int v) {
            routeRateLimit = v;
            return this;
        }

        public Builder routeRateWindow(Duration v) {
            routeRateWindow = v;
            return this;
        }

        public Builder allowedPrivilegedIntents(int v) {
            allowedPrivilegedIntents = v;
            return this;
        }

        public SimConfig build() {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("token is required");
            }
            return new SimConfig(
                    host,
                    port,
                    publicUrl,
                    token,
                    new WorldSpec(guilds, membersPerGuild, userPool, botName, applicationId),
                    maxConcurrency,
                    identifyWindow,
                    sessionStartTotal,
                    heartbeatInterval,
                    gatewaySendLimit,
                    gatewaySendWindow,
                    maxPayloadBytes,
                    maxGuildsPerShard,
                    resumeTimeout,
                    resumeBuffer,
                    reconnectGrace,
                    interactionAckDeadline,
                    interactionTokenLifetime,
                    globalRateLimit,
                    routeRateLimit,
                    routeRateWindow,
                    allowedPrivilegedIntents);
        }

        /** Builds and starts a simulator. */
        public DiscordSimulator start() {
            return DiscordSimulator.start(build());
        }
    }
}
