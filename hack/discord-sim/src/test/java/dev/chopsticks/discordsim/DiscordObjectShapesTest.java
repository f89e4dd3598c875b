package dev.chopsticks.discordsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.discordsim.gateway.Intents;
import dev.chopsticks.discordsim.gateway.Opcode;
import dev.chopsticks.discordsim.interaction.InteractionRef;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import dev.chopsticks.discordsim.world.SimGuild;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One table per object the simulator emits, copied from Discord's documentation (the section is named above each
 * table). {@code REQUIRED}: a documented non-optional field, present with the documented type ({@code ?type} fields
 * may be null). {@code SENT}: documented as optional ({@code field?}) but sent by Discord in this context, so
 * clients read it. {@code OPTIONAL}: may be absent; checked for its type when present. The tables are the test's
 * spec: a field Discord adds is added here first.
 */
class DiscordObjectShapesTest {
    enum Type {
        SNOWFLAKE,
        STRING,
        INTEGER,
        NUMBER,
        BOOLEAN,
        ARRAY,
        OBJECT,
        ISO8601
    }

    enum Presence {
        REQUIRED,
        SENT,
        OPTIONAL
    }

    record Field(String name, Type type, boolean nullable, Presence presence) {}

    private static Field req(String name, Type type) {
        return new Field(name, type, false, Presence.REQUIRED);
    }

    /** {@code name | ?type}: always present, may be null. */
    private static Field reqNullable(String name, Type type) {
        return new Field(name, type, true, Presence.REQUIRED);
    }

    private static Field sent(String name, Type type) {
        return new Field(name, type, false, Presence.SENT);
    }

    private static Field sentNullable(String name, Type type) {
        return new Field(name, type, true, Presence.SENT);
    }

    private static Field opt(String name, Type type) {
        return new Field(name, type, true, Presence.OPTIONAL);
    }

    // Gateway > Gateway Events > Hello
    static final List<Field> HELLO = List.of(req("heartbeat_interval", Type.INTEGER));

    // Gateway > Gateway Events > Ready
    static final List<Field> READY = List.of(
            req("v", Type.INTEGER),
            req("user", Type.OBJECT),
            req("guilds", Type.ARRAY),
            req("session_id", Type.STRING),
            req("resume_gateway_url", Type.STRING),
            sent("shard", Type.ARRAY), // sent when the client identified with a shard
            req("application", Type.OBJECT));

    // Gateway > Gateway Events > Ready: "Partial application object: contains id and flags"
    static final List<Field> READY_APPLICATION = List.of(req("id", Type.SNOWFLAKE), req("flags", Type.INTEGER));

    // Guild > Unavailable Guild Object
    static final List<Field> UNAVAILABLE_GUILD = List.of(req("id", Type.SNOWFLAKE), req("unavailable", Type.BOOLEAN));

    // User > User Object > User Structure
    static final List<Field> USER = List.of(
            req("id", Type.SNOWFLAKE),
            req("username", Type.STRING),
            req("discriminator", Type.STRING),
            reqNullable("global_name", Type.STRING),
            reqNullable("avatar", Type.STRING),
            opt("bot", Type.BOOLEAN),
            opt("system", Type.BOOLEAN),
            opt("mfa_enabled", Type.BOOLEAN),
            opt("banner", Type.STRING),
            opt("accent_color", Type.INTEGER),
            opt("locale", Type.STRING),
            opt("verified", Type.BOOLEAN),
            opt("email", Type.STRING),
            opt("flags", Type.INTEGER),
            opt("premium_type", Type.INTEGER),
            sent("public_flags", Type.INTEGER),
            opt("avatar_decoration_data", Type.OBJECT));

    // User > User Object, as GET /users/@me and READY send the bot itself (the fields of the "identify" scope)
    static final List<Field> SELF_USER = concat(
            USER,
            List.of(
                    sent("bot", Type.BOOLEAN),
                    sent("mfa_enabled", Type.BOOLEAN),
                    sent("verified", Type.BOOLEAN),
                    sent("flags", Type.INTEGER),
                    sent("locale", Type.STRING)));

    // Application > Application Object > Application Structure; GET /applications/@me sends the counts, bot and owner
    static final List<Field> APPLICATION = List.of(
            req("id", Type.SNOWFLAKE),
            req("name", Type.STRING),
            reqNullable("icon", Type.STRING),
            req("description", Type.STRING),
            opt("rpc_origins", Type.ARRAY),
            req("bot_public", Type.BOOLEAN),
            req("bot_require_code_grant", Type.BOOLEAN),
            sent("bot", Type.OBJECT),
            opt("terms_of_service_url", Type.STRING),
            opt("privacy_policy_url", Type.STRING),
            sent("owner", Type.OBJECT),
            req("verify_key", Type.STRING),
            reqNullable("team", Type.OBJECT),
            opt("guild_id", Type.SNOWFLAKE),
            opt("guild", Type.OBJECT),
            opt("primary_sku_id", Type.SNOWFLAKE),
            opt("slug", Type.STRING),
            opt("cover_image", Type.STRING),
            sent("flags", Type.INTEGER),
            sent("approximate_guild_count", Type.INTEGER),
            sent("approximate_user_install_count", Type.INTEGER),
            sent("approximate_user_authorization_count", Type.INTEGER),
            sent("redirect_uris", Type.ARRAY),
            sentNullable("interactions_endpoint_url", Type.STRING),
            sentNullable("role_connections_verification_url", Type.STRING),
            sentNullable("event_webhooks_url", Type.STRING),
            req("event_webhooks_status", Type.INTEGER),
            opt("event_webhooks_types", Type.ARRAY),
            opt("tags", Type.ARRAY),
            opt("install_params", Type.OBJECT),
            sent("integration_types_config", Type.OBJECT),
            opt("custom_install_url", Type.STRING));

    // Gateway > Get Gateway Bot > JSON Response, and Session Start Limit Object
    static final List<Field> GATEWAY_BOT =
            List.of(req("url", Type.STRING), req("shards", Type.INTEGER), req("session_start_limit", Type.OBJECT));
    static final List<Field> SESSION_START_LIMIT = List.of(
            req("total", Type.INTEGER),
            req("remaining", Type.INTEGER),
            req("reset_after", Type.INTEGER),
            req("max_concurrency", Type.INTEGER));

    // Guild > Guild Object > Guild Structure
    static final List<Field> GUILD = List.of(
            req("id", Type.SNOWFLAKE),
            req("name", Type.STRING),
            reqNullable("icon", Type.STRING),
            opt("icon_hash", Type.STRING),
            reqNullable("splash", Type.STRING),
            reqNullable("discovery_splash", Type.STRING),
            opt("owner", Type.BOOLEAN),
            req("owner_id", Type.SNOWFLAKE),
            opt("permissions", Type.STRING),
            reqNullable("afk_channel_id", Type.SNOWFLAKE),
            req("afk_timeout", Type.INTEGER),
            opt("widget_enabled", Type.BOOLEAN),
            opt("widget_channel_id", Type.SNOWFLAKE),
            req("verification_level", Type.INTEGER),
            req("default_message_notifications", Type.INTEGER),
            req("explicit_content_filter", Type.INTEGER),
            req("roles", Type.ARRAY),
            req("emojis", Type.ARRAY),
            req("features", Type.ARRAY),
            req("mfa_level", Type.INTEGER),
            reqNullable("application_id", Type.SNOWFLAKE),
            reqNullable("system_channel_id", Type.SNOWFLAKE),
            req("system_channel_flags", Type.INTEGER),
            reqNullable("rules_channel_id", Type.SNOWFLAKE),
            opt("max_presences", Type.INTEGER),
            sent("max_members", Type.INTEGER),
            reqNullable("vanity_url_code", Type.STRING),
            reqNullable("description", Type.STRING),
            reqNullable("banner", Type.STRING),
            req("premium_tier", Type.INTEGER),
            sent("premium_subscription_count", Type.INTEGER),
            req("preferred_locale", Type.STRING),
            reqNullable("public_updates_channel_id", Type.SNOWFLAKE),
            sent("max_video_channel_users", Type.INTEGER),
            sent("max_stage_video_channel_users", Type.INTEGER),
            opt("approximate_member_count", Type.INTEGER),
            opt("approximate_presence_count", Type.INTEGER),
            opt("welcome_screen", Type.OBJECT),
            req("nsfw_level", Type.INTEGER),
            sent("stickers", Type.ARRAY),
            req("premium_progress_bar_enabled", Type.BOOLEAN),
            reqNullable("safety_alerts_channel_id", Type.SNOWFLAKE),
            reqNullable("incidents_data", Type.OBJECT));

    // Gateway Events > Guild Create > Guild Create Extra Fields
    static final List<Field> GUILD_CREATE = concat(
            GUILD,
            List.of(
                    req("joined_at", Type.ISO8601),
                    req("large", Type.BOOLEAN),
                    sent("unavailable", Type.BOOLEAN),
                    req("member_count", Type.INTEGER),
                    req("voice_states", Type.ARRAY),
                    req("members", Type.ARRAY),
                    req("channels", Type.ARRAY),
                    req("threads", Type.ARRAY),
                    req("presences", Type.ARRAY),
                    req("stage_instances", Type.ARRAY),
                    req("guild_scheduled_events", Type.ARRAY),
                    req("soundboard_sounds", Type.ARRAY)));

    // Permissions > Role Object > Role Structure, and Role Colors Object
    static final List<Field> ROLE = List.of(
            req("id", Type.SNOWFLAKE),
            req("name", Type.STRING),
            req("color", Type.INTEGER),
            req("colors", Type.OBJECT),
            req("hoist", Type.BOOLEAN),
            opt("icon", Type.STRING),
            opt("unicode_emoji", Type.STRING),
            req("position", Type.INTEGER),
            req("permissions", Type.STRING),
            req("managed", Type.BOOLEAN),
            req("mentionable", Type.BOOLEAN),
            opt("tags", Type.OBJECT),
            req("flags", Type.INTEGER));
    static final List<Field> ROLE_COLORS = List.of(
            req("primary_color", Type.INTEGER),
            reqNullable("secondary_color", Type.INTEGER),
            reqNullable("tertiary_color", Type.INTEGER));

    // Channel > Channel Object > Channel Structure (guild channels send these)
    static final List<Field> CHANNEL = List.of(
            req("id", Type.SNOWFLAKE),
            req("type", Type.INTEGER),
            opt("guild_id", Type.SNOWFLAKE),
            sent("position", Type.INTEGER),
            sent("permission_overwrites", Type.ARRAY),
            sentNullable("name", Type.STRING),
            opt("topic", Type.STRING),
            sent("nsfw", Type.BOOLEAN),
            opt("last_message_id", Type.SNOWFLAKE),
            opt("bitrate", Type.INTEGER),
            opt("user_limit", Type.INTEGER),
            opt("rate_limit_per_user", Type.INTEGER),
            sentNullable("parent_id", Type.SNOWFLAKE),
            opt("rtc_region", Type.STRING),
            sent("flags", Type.INTEGER),
            opt("permissions", Type.STRING));

    // Guild > Guild Member Object > Guild Member Structure
    static final List<Field> MEMBER = List.of(
            opt("user", Type.OBJECT),
            opt("nick", Type.STRING),
            opt("avatar", Type.STRING),
            opt("banner", Type.STRING),
            req("roles", Type.ARRAY),
            reqNullable("joined_at", Type.ISO8601),
            opt("premium_since", Type.ISO8601),
            req("deaf", Type.BOOLEAN),
            req("mute", Type.BOOLEAN),
            req("flags", Type.INTEGER),
            opt("pending", Type.BOOLEAN),
            opt("permissions", Type.STRING),
            opt("communication_disabled_until", Type.ISO8601),
            opt("avatar_decoration_data", Type.OBJECT));

    // Message > Message Object > Message Structure
    static final List<Field> MESSAGE = List.of(
            req("id", Type.SNOWFLAKE),
            req("channel_id", Type.SNOWFLAKE),
            req("author", Type.OBJECT),
            req("content", Type.STRING),
            req("timestamp", Type.ISO8601),
            reqNullable("edited_timestamp", Type.ISO8601),
            req("tts", Type.BOOLEAN),
            req("mention_everyone", Type.BOOLEAN),
            req("mentions", Type.ARRAY),
            req("mention_roles", Type.ARRAY),
            req("attachments", Type.ARRAY),
            req("embeds", Type.ARRAY),
            opt("nonce", Type.STRING),
            req("pinned", Type.BOOLEAN),
            opt("webhook_id", Type.SNOWFLAKE),
            req("type", Type.INTEGER),
            opt("application_id", Type.SNOWFLAKE),
            sent("flags", Type.INTEGER),
            opt("interaction_metadata", Type.OBJECT),
            sent("components", Type.ARRAY));

    // Interactions > Receiving and Responding > Interaction Object > Interaction Structure (a guild slash command)
    static final List<Field> INTERACTION = List.of(
            req("id", Type.SNOWFLAKE),
            req("application_id", Type.SNOWFLAKE),
            req("type", Type.INTEGER),
            sent("data", Type.OBJECT),
            sent("guild", Type.OBJECT),
            sent("guild_id", Type.SNOWFLAKE),
            sent("channel", Type.OBJECT),
            sent("channel_id", Type.SNOWFLAKE),
            sent("member", Type.OBJECT),
            opt("user", Type.OBJECT),
            req("token", Type.STRING),
            req("version", Type.INTEGER),
            opt("message", Type.OBJECT),
            req("app_permissions", Type.STRING),
            sent("locale", Type.STRING),
            sent("guild_locale", Type.STRING),
            req("entitlements", Type.ARRAY),
            req("authorizing_integration_owners", Type.OBJECT),
            sent("context", Type.INTEGER),
            req("attachment_size_limit", Type.INTEGER));

    // Interactions > Application Commands > Application Command Object > Application Command Structure
    static final List<Field> APPLICATION_COMMAND = List.of(
            req("id", Type.SNOWFLAKE),
            sent("type", Type.INTEGER),
            req("application_id", Type.SNOWFLAKE),
            opt("guild_id", Type.SNOWFLAKE),
            req("name", Type.STRING),
            opt("name_localizations", Type.OBJECT),
            req("description", Type.STRING),
            opt("description_localizations", Type.OBJECT),
            opt("options", Type.ARRAY),
            reqNullable("default_member_permissions", Type.STRING),
            opt("dm_permission", Type.BOOLEAN),
            opt("default_permission", Type.BOOLEAN),
            sent("nsfw", Type.BOOLEAN),
            opt("integration_types", Type.ARRAY),
            opt("contexts", Type.ARRAY),
            req("version", Type.SNOWFLAKE),
            opt("handler", Type.INTEGER));

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(
            SimConfig.builder().guilds(4).identifyWindow(Duration.ZERO).build());

    private static GatewayTestClient bot;
    private static JsonNode hello;
    private static JsonNode ready;
    private static JsonNode guildCreate;

    @BeforeAll
    static void connect() {
        bot = GatewayTestClient.connect(SIM.simulator().gatewayUrl());
        hello = bot.awaitOp(Opcode.HELLO).path("d");
        bot.identify(SIM.simulator().token(), 0, 1, Intents.GUILDS | Intents.GUILD_MESSAGES);
        ready = bot.awaitDispatch("READY").path("d");
        guildCreate = bot.awaitDispatch("GUILD_CREATE").path("d");
    }

    @AfterAll
    static void disconnect() {
        bot.close();
    }

    private static HttpTestClient api() {
        return new HttpTestClient(SIM.simulator());
    }

    private static SimGuild guild() {
        return SIM.simulator()
                .world()
                .guild(Long.parseUnsignedLong(guildCreate.path("id").asText()))
                .orElseThrow();
    }

    @Test
    void helloAndReady() {
        assertShape("HELLO", hello, HELLO);
        assertShape("READY", ready, READY);
        assertShape("READY.application", ready.path("application"), READY_APPLICATION);
        assertShape("READY.user", ready.path("user"), SELF_USER);
        for (JsonNode g : ready.path("guilds")) {
            assertShape("READY.guilds[]", g, UNAVAILABLE_GUILD);
        }
    }

    @Test
    void guildCreateAndWhatItHolds() {
        assertShape("GUILD_CREATE", guildCreate, GUILD_CREATE);
        for (JsonNode role : guildCreate.path("roles")) {
            assertShape("role", role, ROLE);
            assertShape("role.colors", role.path("colors"), ROLE_COLORS);
        }
        for (JsonNode channel : guildCreate.path("channels")) {
            assertShape("channel", channel, CHANNEL);
        }
        for (JsonNode member : guildCreate.path("members")) {
            assertShape("member", member, MEMBER);
            assertShape("member.user", member.path("user"), USER);
        }
    }

    @Test
    void restUserApplicationGatewayGuildChannel() {
        assertShape("GET /users/@me", api().get("users/@me").json(), SELF_USER);
        JsonNode app = api().get("applications/@me").json();
        assertShape("GET /applications/@me", app, APPLICATION);
        assertShape("application.bot", app.path("bot"), USER);
        assertShape("application.owner", app.path("owner"), USER);
        JsonNode gatewayBot = api().get("gateway/bot").json();
        assertShape("GET /gateway/bot", gatewayBot, GATEWAY_BOT);
        assertShape("session_start_limit", gatewayBot.path("session_start_limit"), SESSION_START_LIMIT);
        String guildId = guildCreate.path("id").asText();
        assertShape("GET /guilds/{id}", api().get("guilds/" + guildId).json(), GUILD);
        assertShape(
                "GET /channels/{id}",
                api().get("channels/"
                                + Long.toUnsignedString(
                                        guild().defaultTextChannel().id()))
                        .json(),
                CHANNEL);
    }

    @Test
    void messagesOverRestAndGateway() {
        String channelId = Long.toUnsignedString(guild().defaultTextChannel().id());
        HttpTestClient.Reply posted =
                api().call("POST", "channels/" + channelId + "/messages", "{\"content\":\"shape\"}", true);
        assertThat(posted.status()).isEqualTo(200);
        assertShape("POST /channels/{id}/messages", posted.json(), MESSAGE);
        assertShape("message.author", posted.json().path("author"), USER);
        assertShape("MESSAGE_CREATE", bot.awaitDispatch("MESSAGE_CREATE").path("d"), MESSAGE);
    }

    @Test
    void applicationCommandAndInteraction() {
        String app = Long.toUnsignedString(SIM.simulator().world().applicationId());
        HttpTestClient.Reply created = api().call(
                        "POST",
                        "applications/" + app + "/commands",
                        "{\"name\":\"shape\",\"description\":\"shapes\",\"type\":1}",
                        true);
        assertThat(created.status()).isEqualTo(200);
        assertShape("application command", created.json(), APPLICATION_COMMAND);

        InteractionRef ref = SIM.simulator().injectSlashCommand(SlashCommand.of("shape", guild().id()));
        JsonNode interaction = bot.await(
                        n -> "INTERACTION_CREATE".equals(n.path("t").asText())
                                && n.path("d").path("id").asText().equals(Long.toUnsignedString(ref.id())),
                        Duration.ofSeconds(5))
                .path("d");
        assertShape("INTERACTION_CREATE", interaction, INTERACTION);
        assertShape("interaction.member", interaction.path("member"), MEMBER);
        assertShape("interaction.channel", interaction.path("channel"), CHANNEL);
    }

    /** Every problem of {@code node} against {@code table}, reported together. */
    static void assertShape(String what, JsonNode node, List<Field> table) {
        assertThat(node.isObject()).as(what + " is an object").isTrue();
        List<String> problems = new ArrayList<>();
        for (Field f : table) {
            JsonNode v = node.get(f.name());
            if (v == null) {
                if (f.presence() != Presence.OPTIONAL) {
                    problems.add(f.name() + " is missing (" + f.presence() + ")");
                }
            } else if (v.isNull()) {
                if (!f.nullable()) {
                    problems.add(f.name() + " is null but not nullable");
                }
            } else if (!hasType(v, f.type())) {
                problems.add(f.name() + " should be " + f.type() + " but is " + v);
            }
        }
        assertThat(problems).as(what).isEmpty();
    }

    private static boolean hasType(JsonNode v, Type type) {
        return switch (type) {
            case SNOWFLAKE -> v.isTextual() && v.asText().matches("\\d{1,20}");
            case STRING -> v.isTextual();
            case INTEGER -> v.isIntegralNumber();
            case NUMBER -> v.isNumber();
            case BOOLEAN -> v.isBoolean();
            case ARRAY -> v.isArray();
            case OBJECT -> v.isObject();
            case ISO8601 -> v.isTextual() && parses(v.asText());
        };
    }

    private static boolean parses(String timestamp) {
        try {
            OffsetDateTime.parse(timestamp);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static List<Field> concat(List<Field> base, List<Field> overrides) {
        List<Field> out = new ArrayList<>(base);
        for (Field o : overrides) {
            out.removeIf(f -> f.name().equals(o.name()));
            out.add(o);
        }
        return List.copyOf(out);
    }
}
