package dev.chopsticks.bot.commands;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Command use counts kept in memory between batch flushes (no database write per command). */
public final class CommandUsage {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    public void record(String command) {
        counts.computeIfAbsent(command, k -> new LongAdder()).increment();
    }

    /** Takes the counts accumulated so far, leaving zero behind. */
    public Map<String, Long> drain() {
        Map<String, Long> drained = new HashMap<>();
        counts.forEach((name, adder) -> {
            long n = adder.sumThenReset();
            if (n > 0) {
                drained.put(name, n);
            }
        });
        return drained;
    }

    /** Puts counts back after a failed flush so they go out with the next one. */
    public void restore(Map<String, Long> unsent) {
        unsent.forEach(
                (name, n) -> counts.computeIfAbsent(name, k -> new LongAdder()).add(n));
    }

    public long pending(String command) {
        LongAdder a = counts.get(command);
        return a == null ? 0 : a.sum();
    }
}
