package dev.chopsticks.bot.discord;

import net.dv8tion.jda.api.utils.ConcurrentSessionController;

/** JDA's concurrent identify handling, connecting to a configured gateway URL (Discord or the simulator). */
public final class GatewayUrlSessionController extends ConcurrentSessionController {
    private final String gatewayUrl;

    public GatewayUrlSessionController(String gatewayUrl) {
        this.gatewayUrl = gatewayUrl;
    }

    @Override
    public String getGateway() {
        return gatewayUrl;
    }
}
