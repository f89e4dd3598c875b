package dev.chopsticks.bot.dashboard;

import java.time.Instant;
import java.util.Map;

/**
 * What the dashboard can say about the whole cluster from the data the shards write to PostgreSQL.
 *
 * @param asOf                when it was read
 * @param schemaVersion       the last successful Flyway migration (the migrations Job's work), or "none"
 * @param estimatedRows       live rows per table from PostgreSQL's statistics (cheap at any size, so an estimate)
 * @param commandUsesToday    uses per slash command on today's UTC day, as flushed by the shards (every 10 s)
 * @param commandUsesLast7Days uses of all commands over the last 7 UTC days, today included
 */
public record ClusterOverview(
        Instant asOf,
        String schemaVersion,
        Map<String, Long> estimatedRows,
        Map<String, Long> commandUsesToday,
        long commandUsesLast7Days) {}
