package dev.chopsticks.bot.config;

import java.time.Duration;
import java.util.Set;

/**
 * The gateway relay that lets a shard's Discord session outlive its process (docs/design/session-handoff.md).
 *
 * @param enabled      {@code GATEWAY_RELAY}: JDA connects through the in-process relay, which saves each session to
 *                     Redis so the next process RESUMEs it instead of identifying
 * @param resumeWindow {@code GATEWAY_RESUME_WINDOW_SECONDS}: how long after the last save a session is still worth
 *                     resuming. Discord keeps a dropped session "for a few minutes"; past this the successor
 *                     identifies at once rather than trying a RESUME that would be refused
 */
public record RelayConfig(boolean enabled, Duration resumeWindow) {

    public static RelayConfig disabled() {
        return new RelayConfig(false, Duration.ofSeconds(120));
    }

    public static RelayConfig fromEnv(EnvReader env) {
        boolean enabled =
                env.oneOf("GATEWAY_RELAY", "false", Set.of("true", "false")).equals("true");
        return new RelayConfig(
                enabled, Duration.ofSeconds(env.intInRange("GATEWAY_RESUME_WINDOW_SECONDS", 120, 5, 900)));
    }
}
