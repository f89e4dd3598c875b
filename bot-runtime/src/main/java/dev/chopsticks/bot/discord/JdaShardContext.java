package dev.chopsticks.bot.discord;

import dev.chopsticks.bot.commands.ShardContext;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.JDA;

/** Shard facts from the JDA instance that received an interaction. */
final class JdaShardContext implements ShardContext {
    private final JDA jda;

    JdaShardContext(JDA jda) {
        this.jda = jda;
    }

    @Override
    public int shardId() {
        return jda.getShardInfo().getShardId();
    }

    @Override
    public int shardCount() {
        return jda.getShardInfo().getShardTotal();
    }

    @Override
    public long gatewayPingMs() {
        return jda.getGatewayPing();
    }

    @Override
    public long restPingMs() {
        try {
            return jda.getRestPing().submit().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception e) {
            return -1;
        }
    }
}
