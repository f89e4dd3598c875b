package dev.chopsticks.bot.discord;

import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.Embed;
import java.util.List;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditData;

/** Converts our plain replies into JDA message data. */
public final class JdaReplies {
    private JdaReplies() {}

    public static MessageCreateData create(CommandReply reply) {
        MessageCreateBuilder b = new MessageCreateBuilder().setEmbeds(embeds(reply));
        if (reply.content() != null) {
            b.setContent(reply.content());
        }
        return b.build();
    }

    public static MessageEditData edit(CommandReply reply) {
        return new MessageEditBuilder()
                .setContent(reply.content())
                .setEmbeds(embeds(reply))
                .build();
    }

    static List<MessageEmbed> embeds(CommandReply reply) {
        return reply.embeds().stream().map(JdaReplies::embed).toList();
    }

    static MessageEmbed embed(Embed e) {
        EmbedBuilder b = new EmbedBuilder()
                .setTitle(e.title(), e.url())
                .setDescription(e.description())
                .setColor(e.color());
        for (Embed.Field f : e.fields()) {
            b.addField(f.name(), f.value(), f.inline());
        }
        if (e.footer() != null) {
            b.setFooter(e.footer());
        }
        return b.build();
    }
}
