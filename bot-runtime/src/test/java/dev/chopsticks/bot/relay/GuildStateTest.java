package dev.chopsticks.bot.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The guild state a successor's JDA is built from follows the events Discord sent after GUILD_CREATE. */
class GuildStateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    private static GuildState withOneGuild() throws Exception {
        GuildState state = new GuildState();
        state.apply(
                "GUILD_CREATE",
                json(
                        "{\"id\":\"10\",\"name\":\"a\",\"member_count\":2,"
                                + "\"channels\":[{\"id\":\"100\",\"name\":\"general\"}],\"roles\":[{\"id\":\"10\",\"name\":\"@everyone\"}]}"));
        return state;
    }

    @Test
    void guildChannelRoleAndMemberEventsAreFoldedIn() throws Exception {
        GuildState state = withOneGuild();
        state.apply("GUILD_UPDATE", json("{\"id\":\"10\",\"name\":\"renamed\"}"));
        state.apply("CHANNEL_CREATE", json("{\"id\":\"101\",\"guild_id\":\"10\",\"name\":\"new\"}"));
        state.apply("CHANNEL_UPDATE", json("{\"id\":\"100\",\"guild_id\":\"10\",\"name\":\"lobby\"}"));
        state.apply("GUILD_ROLE_CREATE", json("{\"guild_id\":\"10\",\"role\":{\"id\":\"11\",\"name\":\"mod\"}}"));
        state.apply("GUILD_ROLE_DELETE", json("{\"guild_id\":\"10\",\"role_id\":\"10\"}"));
        state.apply("GUILD_MEMBER_ADD", json("{\"guild_id\":\"10\",\"user\":{\"id\":\"5\"}}"));

        ObjectNode g = state.all().get(0);
        assertThat(g.path("name").asText()).isEqualTo("renamed");
        assertThat(g.path("member_count").asInt()).isEqualTo(3);
        assertThat(g.path("channels").findValuesAsText("name")).containsExactlyInAnyOrder("lobby", "new");
        assertThat(g.path("roles").findValuesAsText("name")).containsExactly("mod");
        assertThat(state.takeDirty()).containsOnlyKeys(10L);
        assertThat(state.takeDirty()).isEmpty();
    }

    @Test
    void aGuildLeftIsRemovedButAnOutageKeepsIt() throws Exception {
        GuildState state = withOneGuild();
        state.apply("GUILD_DELETE", json("{\"id\":\"10\",\"unavailable\":true}"));
        assertThat(state.size()).isEqualTo(1);
        state.apply("GUILD_DELETE", json("{\"id\":\"10\"}"));
        assertThat(state.size()).isZero();
        assertThat(state.takeRemoved()).containsExactly(10L);
    }

    @Test
    void savedGuildsLoadBack() throws Exception {
        GuildState state = withOneGuild();
        GuildState successor = new GuildState();
        successor.load(state.takeDirty());
        assertThat(successor.all()).hasSize(1);
        assertThat(successor.all().get(0).path("channels").size()).isEqualTo(1);
    }
}
