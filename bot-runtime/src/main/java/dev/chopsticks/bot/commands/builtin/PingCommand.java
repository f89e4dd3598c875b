package dev.chopsticks.bot.commands.builtin;

import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.Embed;
import dev.chopsticks.bot.commands.ShardContext;
import dev.chopsticks.bot.commands.SlashCommand;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/** /ping: gateway and REST latency and the answering shard. */
public final class PingCommand implements SlashCommand {
    @Override
    public String name() {
        return "ping";
    }

    @Override
    public String description() {
        return "Show gateway and REST latency";
    }

    @Override
    public SlashCommandData definition() {
        return Commands.slash(name(), description());
    }

    @Override
    public CommandReply execute(CommandRequest request) {
        ShardContext shard = request.shard();
        long rest = shard.restPingMs();
        return CommandReply.embed(Embed.of("🏓 Pong!", null, Embed.BLUE)
                .field("Gateway", ms(shard.gatewayPingMs()), true)
                .field("REST", ms(rest), true)
                .field("Shard", shard.shardId() + " / " + shard.shardCount(), true));
    }

    private static String ms(long value) {
        return value < 0 ? "n/a" : value + " ms";
    }
}
