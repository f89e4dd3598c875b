package dev.chopsticks.bot.commands;

import java.util.ArrayList;
import java.util.List;

/** A Discord embed as plain data. */
public record Embed(String title, String description, int color, List<Field> fields, String footer, String url) {

    public record Field(String name, String value, boolean inline) {}

    public static final int BLUE = 0x5865F2;
    public static final int GREEN = 0x57F287;
    public static final int YELLOW = 0xFEE75C;
    public static final int RED = 0xED4245;
    public static final int GREY = 0x99AAB5;

    public Embed {
        fields = List.copyOf(fields);
    }

    public static Embed of(String title, String description, int color) {
        return new Embed(title, description, color, List.of(), null, null);
    }

    public Embed field(String name, String value, boolean inline) {
        List<Field> more = new ArrayList<>(fields);
        more.add(new Field(name, value, inline));
        return new Embed(title, description, color, more, footer, url);
    }

    public Embed footer(String text) {
        return new Embed(title, description, color, fields, text, url);
    }

    public Embed url(String link) {
        return new Embed(title, description, color, fields, footer, link);
    }
}
