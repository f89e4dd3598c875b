package dev.chopsticks.discordsim.world;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.json.Json;
import java.time.Instant;

/**
 * Discord-shaped JSON for world entities, following the documented object structures. Fields JDA reads
 * without a default (roles[].colors, channels[].position, threads, emojis, voice_states...) are always present.
 */
public final class EntityJson {
    private EntityJson() {}

    public static String id(long snowflake) {
        return Long.toUnsignedString(snowflake);
    }

    public static ObjectNode user(SimUser user) {
        ObjectNode o = Json.object()
                .put("id", id(user.id()))
                .put("username", user.username())
                .put("discriminator", "0")
                .put("global_name", user.globalName())
                .putNull("avatar")
                .put("public_flags", 0)
                .put("flags", 0)
                .putNull("avatar_decoration_data");
        if (user.bot()) {
            o.put("bot", true);
        }
        return o;
    }

    /** The bot's own user as returned by {@code GET /users/@me} and in READY. */
    public static ObjectNode selfUser(SimUser bot) {
        return user(bot)
                .put("verified", true)
                .put("mfa_enabled", false)
                .putNull("email")
                .put("locale", "en-US");
    }

    public static ObjectNode member(SimMember member, boolean withUser) {
        ObjectNode o = Json.object();
        if (withUser) {
            o.set("user", user(member.user()));
        }
        ArrayNode roles = o.putArray("roles");
        member.roleIds().forEach(r -> roles.add(id(r)));
        return o.putNull("nick")
                .putNull("avatar")
                .putNull("banner")
                .put("joined_at", member.joinedAt().toString())
                .putNull("premium_since")
                .put("deaf", false)
                .put("mute", false)
                .put("flags", 0)
                .put("pending", false)
                .putNull("communication_disabled_until");
    }

    public static ObjectNode role(SimRole role, long botId, boolean managed) {
        ObjectNode o = Json.object()
                .put("id", id(role.id()))
                .put("name", role.name())
                .put("color", role.color())
                .put("hoist", role.hoist())
                .putNull("icon")
                .putNull("unicode_emoji")
                .put("position", role.position())
                .put("permissions", Long.toString(role.permissions()))
                .put("managed", managed)
                .put("mentionable", false)
                .put("flags", 0);
        o.putObject("colors")
                .put("primary_color", role.color())
                .putNull("secondary_color")
                .putNull("tertiary_color");
        if (managed) {
            o.putObject("tags").put("bot_id", id(botId));
        }
        return o;
    }

    public static ObjectNode channel(SimChannel channel) {
        ObjectNode o = Json.object()
                .put("id", id(channel.id()))
                .put("type", channel.type().id())
                .put("guild_id", id(channel.guildId()))
                .put("name", channel.name())
                .put("position", channel.position())
                .put("flags", 0)
                .put("nsfw", false);
        o.putArray("permission_overwrites");
        if (channel.parentId() == 0) {
            o.putNull("parent_id");
        } else {
            o.put("parent_id", id(channel.parentId()));
        }
        switch (channel.type()) {
            case GUILD_TEXT -> o.putNull("topic").putNull("last_message_id").put("rate_limit_per_user", 0);
            case GUILD_VOICE ->
                o.put("bitrate", 64_000)
                        .put("user_limit", 0)
                        .putNull("rtc_region")
                        .putNull("last_message_id")
                        .put("rate_limit_per_user", 0);
            case GUILD_CATEGORY -> {}
        }
        return o;
    }

    /** Fields shared by GUILD_CREATE and {@code GET /guilds/{id}}. */
    private static ObjectNode guildBase(SimGuild guild, SimUser bot) {
        ObjectNode o = Json.object()
                .put("id", id(guild.id()))
                .put("name", guild.name())
                .putNull("icon")
                .putNull("icon_hash")
                .putNull("splash")
                .putNull("discovery_splash")
                .put("owner_id", id(guild.ownerId()))
                .putNull("afk_channel_id")
                .put("afk_timeout", 300)
                .put("widget_enabled", false)
                .put("verification_level", 0)
                .put("default_message_notifications", 0)
                .put("explicit_content_filter", 0)
                .put("mfa_level", 0)
                .putNull("application_id")
                .put("system_channel_id", id(guild.systemChannelId()))
                .put("system_channel_flags", 0)
                .putNull("rules_channel_id")
                .putNull("max_presences")
                .put("max_members", 500_000)
                .putNull("vanity_url_code")
                .putNull("description")
                .putNull("banner")
                .put("premium_tier", 0)
                .put("premium_subscription_count", 0)
                .put("preferred_locale", "en-US")
                .putNull("public_updates_channel_id")
                .put("max_video_channel_users", 25)
                .put("max_stage_video_channel_users", 50)
                .put("nsfw_level", 0)
                .put("premium_progress_bar_enabled", false)
                .putNull("safety_alerts_channel_id")
                .putNull("incidents_data");
        ArrayNode roles = o.putArray("roles");
        for (SimRole role : guild.roles()) {
            roles.add(
                    role(role, bot.id(), role.id() != guild.id() && role.name().equals(bot.username())));
        }
        o.putArray("emojis");
        o.putArray("stickers");
        o.putArray("features");
        return o;
    }

    /** The GUILD_CREATE dispatch body: the guild plus the gateway-only extra fields. */
    public static ObjectNode guildCreate(SimGuild guild, SimUser bot) {
        ObjectNode o = guildBase(guild, bot)
                .put("joined_at", guild.joinedAt().toString())
                .put("large", false)
                .put("unavailable", false)
                .put("lazy", true)
                .put("member_count", guild.memberCount());
        o.putArray("voice_states");
        ArrayNode members = o.putArray("members");
        guild.members().forEach(m -> members.add(member(m, true)));
        ArrayNode channels = o.putArray("channels");
        guild.channels().forEach(c -> channels.add(channel(c)));
        o.putArray("threads");
        o.putArray("presences");
        o.putArray("stage_instances");
        o.putArray("guild_scheduled_events");
        o.putArray("soundboard_sounds");
        return o;
    }

    /** {@code GET /guilds/{id}}: no channels or members, but approximate counts when asked. */
    public static ObjectNode restGuild(SimGuild guild, SimUser bot, boolean withCounts) {
        ObjectNode o = guildBase(guild, bot);
        if (withCounts) {
            o.put("approximate_member_count", guild.memberCount()).put("approximate_presence_count", 0);
        }
        return o;
    }

    public static ObjectNode unavailableGuild(long guildId) {
        return Json.object().put("id", id(guildId)).put("unavailable", true);
    }

    /** A message object; callers add interaction metadata or webhook ids as needed. */
    public static ObjectNode message(long messageId, SimChannel channel, SimUser author, Instant at, int type) {
        ObjectNode o = Json.object()
                .put("id", id(messageId))
                .put("type", type)
                .put("channel_id", id(channel.id()))
                .put("guild_id", id(channel.guildId()))
                .put("content", "")
                .put("timestamp", at.toString())
                .putNull("edited_timestamp")
                .put("tts", false)
                .put("mention_everyone", false)
                .put("pinned", false)
                .put("flags", 0);
        o.set("author", user(author));
        o.putArray("mentions");
        o.putArray("mention_roles");
        o.putArray("attachments");
        o.putArray("embeds");
        o.putArray("components");
        return o;
    }
}
