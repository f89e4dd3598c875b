package dev.chopsticks.bot.commands;

import java.util.List;

/** What the bot answers: text and/or embeds. */
public record CommandReply(String content, List<Embed> embeds) {
    public CommandReply {
        embeds = List.copyOf(embeds);
    }

    public static CommandReply text(String content) {
        return new CommandReply(content, List.of());
    }

    public static CommandReply embed(Embed embed) {
        return new CommandReply(null, List.of(embed));
    }

    /** Everything a user would read, for logs and assertions. */
    public String plainText() {
        StringBuilder sb = new StringBuilder(content == null ? "" : content);
        for (Embed e : embeds) {
            sb.append('\n')
                    .append(e.title() == null ? "" : e.title())
                    .append('\n')
                    .append(e.description() == null ? "" : e.description());
            for (Embed.Field f : e.fields()) {
                sb.append('\n').append(f.name()).append(": ").append(f.value());
            }
            if (e.footer() != null) {
                sb.append('\n').append(e.footer());
            }
        }
        return sb.toString().strip();
    }
}
