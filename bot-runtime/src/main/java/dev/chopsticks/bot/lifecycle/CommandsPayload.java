package dev.chopsticks.bot.lifecycle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import net.dv8tion.jda.api.interactions.commands.build.CommandData;
import net.dv8tion.jda.api.utils.data.DataArray;

/**
 * The global slash-command definitions as Discord's bulk-overwrite body, and a hash of them: a deploy registers
 * only when the hash is new.
 */
public record CommandsPayload(String json, String hash) {

    public static CommandsPayload of(List<CommandData> definitions) {
        DataArray array = DataArray.empty();
        definitions.stream().sorted(Comparator.comparing(CommandData::getName)).forEach(d -> array.add(d.toData()));
        String json = array.toString();
        return new CommandsPayload(json, sha256(json).substring(0, 16));
    }

    static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
