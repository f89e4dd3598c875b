package dev.chopsticks.bot.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Named readiness checks (e.g. "gateway", "database"); ready only when all pass. Checks must be cheap: expensive
 * probes should cache their answer (see {@link PeriodicCheck}).
 */
public final class Readiness {
    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();

    public synchronized Readiness add(String name, BooleanSupplier check) {
        checks.put(name, check);
        return this;
    }

    public synchronized Map<String, Boolean> evaluate() {
        Map<String, Boolean> result = new LinkedHashMap<>();
        checks.forEach((name, check) -> {
            boolean ok;
            try {
                ok = check.getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            result.put(name, ok);
        });
        return result;
    }
}
