package dev.chopsticks.bot.config;

import java.net.URI;
import java.util.Set;

/** Bot token and the endpoints JDA talks to (overridable so the simulator can stand in for Discord). */
public record DiscordConfig(Secret token, URI apiBaseUrl, URI gatewayUrl, boolean registerCommands) {

    public static final String DEFAULT_API = "https://discord.com/api/v10/";
    public static final String DEFAULT_GATEWAY = "wss://gateway.discord.gg";

    public static DiscordConfig fromEnv(EnvReader env) {
        Secret token = env.requiredSecret("DISCORD_TOKEN", "the bot token from the Discord developer portal");
        URI api = env.uri("DISCORD_API_BASE_URL", DEFAULT_API, Set.of("http", "https"));
        // JDA concatenates route paths onto the base URL, so it must end with a slash.
        if (!api.toString().endsWith("/")) {
            api = URI.create(api + "/");
        }
        URI gateway = env.uri("DISCORD_GATEWAY_URL", DEFAULT_GATEWAY, Set.of("ws", "wss"));
        boolean register =
                env.oneOf("REGISTER_COMMANDS", "true", Set.of("true", "false")).equals("true");
        return new DiscordConfig(token, api, gateway, register);
    }
}
