package dev.chopsticks.bot.commands.builtin;

import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.Embed;
import dev.chopsticks.bot.commands.Replies;
import dev.chopsticks.bot.commands.SlashCommand;
import dev.chopsticks.bot.external.NotFoundException;
import dev.chopsticks.bot.external.UpstreamException;
import dev.chopsticks.bot.external.WikiClient;
import dev.chopsticks.bot.external.WikiSummary;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/** /wiki query: the lead of a Wikipedia article (upstream behind a circuit breaker). */
public final class WikiCommand implements SlashCommand {
    static final int MAX_EXTRACT = 1000;

    private final WikiClient client;

    public WikiCommand(WikiClient client) {
        this.client = client;
    }

    @Override
    public String name() {
        return "wiki";
    }

    @Override
    public String description() {
        return "Summarise a Wikipedia article";
    }

    @Override
    public SlashCommandData definition() {
        return Commands.slash(name(), description()).addOption(OptionType.STRING, "query", "Article title", true);
    }

    @Override
    public CommandReply execute(CommandRequest request) {
        String query = request.options().string("query").map(String::strip).orElse("");
        if (query.isEmpty() || query.length() > 200) {
            return Replies.error("Give an article title (max 200 characters).");
        }
        try {
            WikiSummary s = client.summary(query);
            String extract =
                    s.extract().length() > MAX_EXTRACT ? s.extract().substring(0, MAX_EXTRACT) + "…" : s.extract();
            Embed embed =
                    Embed.of("📚 " + s.title(), extract.isEmpty() ? "No summary available." : extract, Embed.GREY);
            return CommandReply.embed(s.url().isEmpty() ? embed : embed.url(s.url()));
        } catch (NotFoundException e) {
            return Replies.error("No Wikipedia article for **" + query + "**.");
        } catch (UpstreamException e) {
            return Replies.degraded("Wikipedia", e.breakerOpen());
        }
    }
}
