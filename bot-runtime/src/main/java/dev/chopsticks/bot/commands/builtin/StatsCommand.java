package dev.chopsticks.bot.commands.builtin;

import dev.chopsticks.bot.cache.CacheStats;
import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.Embed;
import dev.chopsticks.bot.commands.SlashCommand;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/** /stats: shard, cache sizes and hit rates, breaker states. */
public final class StatsCommand implements SlashCommand {
    private final Supplier<Map<String, CacheStats>> caches;
    private final Supplier<Map<String, String>> breakers;

    public StatsCommand(Supplier<Map<String, CacheStats>> caches, Supplier<Map<String, String>> breakers) {
        this.caches = caches;
        this.breakers = breakers;
    }

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public String description() {
        return "Bot statistics: shard, caches, circuit breakers";
    }

    @Override
    public boolean deferred() {
        return false;
    }

    @Override
    public SlashCommandData definition() {
        return Commands.slash(name(), description());
    }

    @Override
    public CommandReply execute(CommandRequest request) {
        Embed embed = Embed.of("📊 Stats", null, Embed.BLUE)
                .field(
                        "Shard",
                        request.shard().shardId() + " / " + request.shard().shardCount(),
                        true);
        for (Map.Entry<String, CacheStats> e : caches.get().entrySet()) {
            CacheStats s = e.getValue();
            embed = embed.field(
                    "Cache " + e.getKey(),
                    String.format(
                            Locale.ROOT,
                            "%d entries, L1 hit %.1f %%, L2 hit %.1f %%",
                            s.l1Size(),
                            100 * s.l1HitRate(),
                            100 * s.l2HitRate()),
                    false);
        }
        StringBuilder states = new StringBuilder();
        breakers.get()
                .forEach((name, state) ->
                        states.append(name).append(": ").append(state).append('\n'));
        return CommandReply.embed(embed.field(
                "Circuit breakers",
                states.isEmpty() ? "none" : states.toString().strip(),
                false));
    }
}
