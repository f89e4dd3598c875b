package dev.chopsticks.bot.commands.builtin;

import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.Embed;
import dev.chopsticks.bot.commands.Replies;
import dev.chopsticks.bot.commands.SlashCommand;
import dev.chopsticks.bot.external.GithubClient;
import dev.chopsticks.bot.external.NotFoundException;
import dev.chopsticks.bot.external.Repository;
import dev.chopsticks.bot.external.UpstreamException;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/** /github repo: repository summary (upstream behind a circuit breaker). */
public final class GithubCommand implements SlashCommand {
    private final GithubClient client;

    public GithubCommand(GithubClient client) {
        this.client = client;
    }

    @Override
    public String name() {
        return "github";
    }

    @Override
    public String description() {
        return "Look up a GitHub repository";
    }

    @Override
    public SlashCommandData definition() {
        return Commands.slash(name(), description()).addOption(OptionType.STRING, "repo", "owner/name", true);
    }

    @Override
    public CommandReply execute(CommandRequest request) {
        String repo = request.options().string("repo").map(String::strip).orElse("");
        if (!GithubClient.REPO.matcher(repo).matches()) {
            return Replies.error("Use the form `owner/name`, e.g. `torvalds/linux`.");
        }
        try {
            Repository r = client.repository(repo);
            Embed embed = Embed.of(
                            "📦 " + r.fullName(),
                            r.description().isEmpty() ? "No description." : r.description(),
                            Embed.GREY)
                    .field("⭐ Stars", Long.toString(r.stars()), true)
                    .field("🍴 Forks", Long.toString(r.forks()), true)
                    .field("Open issues", Long.toString(r.openIssues()), true);
            if (!r.language().isEmpty()) {
                embed = embed.field("Language", r.language(), true);
            }
            return CommandReply.embed(r.url().isEmpty() ? embed : embed.url(r.url()));
        } catch (NotFoundException e) {
            return Replies.error("Repository **" + repo + "** not found.");
        } catch (UpstreamException e) {
            return Replies.degraded("GitHub", e.breakerOpen());
        }
    }
}
