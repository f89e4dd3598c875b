package dev.chopsticks.bot.e2e;

import dev.chopsticks.bot.testinfra.SharedServices;
import dev.chopsticks.discordsim.DiscordSimulator;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment of one shard pod of a generation, as the operator sets it, for whole bot applications in a test
 * JVM: the shared PgBouncer and Redis, the simulator, shard status reporting to the test's API server.
 */
final class GenerationPodEnv {
    private GenerationPodEnv() {}

    static Map<String, String> of(DiscordSimulator sim, String cluster, String namespace, int generation, int shards) {
        Map<String, String> env = new HashMap<>();
        env.put("POSTGRES_URL", SharedServices.pgBouncer().postgresUrl());
        env.put("REDIS_URL", SharedServices.redis().url());
        env.put("PG_POOL_MAX", "3");
        env.put("DISCORD_TOKEN", sim.token());
        env.put("DISCORD_API_BASE_URL", sim.restBaseUrl());
        env.put("DISCORD_GATEWAY_URL", sim.gatewayUrl());
        env.put("IDENTIFY_WINDOW_MS", "1000");
        env.put("SHARD_COUNT", Integer.toString(shards));
        // Registration is marked done in the shared Redis (once per deploy): registering here would make the next IT's
        // bot (BotEndToEndIT, same JVM) skip it. The simulator needs no registered command to deliver one.
        env.put("REGISTER_COMMANDS", "false");
        env.put("HTTP_PORT", "0");
        env.put("SHUTDOWN_GRACE_SECONDS", "5");
        // What the operator sets on a shard pod of this generation.
        env.put("SHARD_STATUS_REPORTING", "true");
        env.put("CHOPSTICKS_CLUSTER", cluster);
        env.put("POD_NAMESPACE", namespace);
        env.put("CHOPSTICKS_GENERATION", Integer.toString(generation));
        env.put("SHARD_NAME_PREFIX", cluster + "-g" + generation + "-");
        env.put("SHARD_STATUS_INTERVAL_SECONDS", "3600");
        return env;
    }
}
