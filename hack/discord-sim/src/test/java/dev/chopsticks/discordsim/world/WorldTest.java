package dev.chopsticks.discordsim.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorldTest {
    private static World world(int guilds) {
        return new World(new WorldSpec(guilds, 3, 50, "Bot", WorldSpec.DEFAULT_APPLICATION_ID));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 8, 13, 16, 64})
    void guildsSpreadEvenlyOverAnyShardCount(int shards) {
        World w = world(1_000);
        List<Integer> counts = IntStream.range(0, shards)
                .mapToObj(s -> w.guildCountForShard(s, shards))
                .toList();
        assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1_000);
        assertThat(counts.stream().mapToInt(Integer::intValue).max().orElseThrow()
                        - counts.stream().mapToInt(Integer::intValue).min().orElseThrow())
                .isLessThanOrEqualTo(1);
    }

    @Test
    void idsAreDeterministic() {
        assertThat(world(20).guilds())
                .extracting(SimGuild::id)
                .isEqualTo(world(20).guilds().stream().map(SimGuild::id).toList());
    }

    @Test
    void guildsHaveTheShapeDiscordGuarantees() {
        World w = world(5);
        for (SimGuild g : w.guilds()) {
            assertThat(g.roles().get(0).id()).as("@everyone id == guild id").isEqualTo(g.id());
            assertThat(g.member(w.bot().id())).isPresent();
            assertThat(w.channel(g.systemChannelId()))
                    .get()
                    .extracting(SimChannel::type)
                    .isEqualTo(ChannelType.GUILD_TEXT);
            assertThat(g.members())
                    .extracting(m -> m.user().id())
                    .contains(g.ownerId())
                    .doesNotHaveDuplicates();
            assertThat(Snowflake.timestamp(g.id())).isAfter(Instant.parse("2015-01-01T00:00:00Z"));
        }
    }

    @Test
    void routingUsesTheUnsignedTimestampBits() {
        long id = 175_928_847_299_117_063L; // the example snowflake in Discord's docs
        assertThat(ShardRouting.shardFor(id, 16)).isEqualTo((int) ((id >> 22) % 16));
        assertThat(ShardRouting.shardFor(-1L, 7)).isBetween(0, 6);
    }

    @Test
    void joinsLeavesAndMembersUpdateTheIndexes() {
        World w = world(2);
        SimGuild g = w.addGuild("New");
        assertThat(w.guild(g.id())).isPresent();
        assertThat(w.channel(g.defaultTextChannel().id())).isPresent();
        SimMember m = w.addMember(g.id(), "alice").orElseThrow();
        assertThat(w.user(m.user().id())).isPresent();
        assertThat(g.memberCount()).isEqualTo(5);
        assertThat(w.removeGuild(g.id())).isPresent();
        assertThat(w.channel(g.defaultTextChannel().id())).isEmpty();
        assertThat(w.guildCount()).isEqualTo(2);
        assertThat(w.addMember(g.id(), "bob")).isEmpty();
    }

    @Test
    void runtimeSnowflakesStrictlyIncrease() {
        long a = Snowflake.next();
        long b = Snowflake.next();
        assertThat(b).isGreaterThan(a);
    }
}
