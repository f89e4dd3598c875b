package dev.chopsticks.bot.discord;

import dev.chopsticks.bot.cache.ClaimOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code chopsticks_interaction_claims_total{outcome="claimed|taken|unavailable", role="active|standby"}}. All six
 * series exist from the start, so a rate() over "standby claimed" (interactions the active generation missed) reads 0,
 * not "no data".
 */
public final class InteractionClaimMetrics {
    private final Map<InteractionHandoff.Role, Map<ClaimOutcome, Counter>> counters =
            new EnumMap<>(InteractionHandoff.Role.class);

    public InteractionClaimMetrics(MeterRegistry meters) {
        for (InteractionHandoff.Role role : InteractionHandoff.Role.values()) {
            Map<ClaimOutcome, Counter> byOutcome = new EnumMap<>(ClaimOutcome.class);
            for (ClaimOutcome outcome : ClaimOutcome.values()) {
                byOutcome.put(
                        outcome,
                        Counter.builder("chopsticks.interaction.claims")
                                .description(
                                        "Interaction claims across shard generations, by outcome and this generation's role")
                                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                                .tag("role", role.label())
                                .register(meters));
            }
            counters.put(role, byOutcome);
        }
    }

    public void record(InteractionHandoff.Role role, ClaimOutcome outcome) {
        counters.get(role).get(outcome).increment();
    }
}
