package dev.chopsticks.discordsim.jda;

import net.dv8tion.jda.api.utils.ConcurrentSessionController;

/**
 * JDA's concurrent session controller pointed at the simulator's gateway. Public JDA configuration only:
 * pair it with {@code new RestConfig().setBaseUrl(sim.restBaseUrl())}. JDA is a provided dependency, so
 * this class is usable only where JDA is on the classpath (the bot's tests).
 */
public class SimSessionController extends ConcurrentSessionController {
    private final String gatewayUrl;

    public SimSessionController(String gatewayUrl) {
        this.gatewayUrl = gatewayUrl;
    }

    @Override
    public String getGateway() {
        return gatewayUrl;
    }
}
