package dev.chopsticks.bot.commands;

import dev.chopsticks.bot.data.CommandStatsRepository;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes accumulated usage counts in one batch; on failure the counts are kept for the next attempt. */
public final class CommandUsageFlusher {
    private static final Logger log = LoggerFactory.getLogger(CommandUsageFlusher.class);

    private final CommandUsage usage;
    private final CommandStatsRepository repository;
    private final Clock clock;

    public CommandUsageFlusher(CommandUsage usage, CommandStatsRepository repository, Clock clock) {
        this.usage = usage;
        this.repository = repository;
        this.clock = clock;
    }

    public synchronized void flush() {
        Map<String, Long> batch = usage.drain();
        if (batch.isEmpty()) {
            return;
        }
        try {
            repository.addUsage(LocalDate.now(clock), batch);
        } catch (RuntimeException e) {
            usage.restore(batch);
            log.warn("command stats flush failed, will retry: {}", e.getMessage());
        }
    }
}
