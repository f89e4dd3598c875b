package dev.chopsticks.podrunner;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One image-to-command rule: containers whose image matches {@code imagePattern} (a glob: {@code *} any run of
 * characters, {@code ?} one) run {@code command} locally, followed by the container's own command and args.
 */
public record ImageCommand(String imagePattern, List<String> command) {
    public ImageCommand {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command for image pattern " + imagePattern);
        }
        command = List.copyOf(command);
    }

    /** Parses {@code PATTERN=COMMAND}, COMMAND split into words like a shell would (quotes, backslash). */
    public static ImageCommand parse(String rule) {
        int eq = rule.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected IMAGE_GLOB=COMMAND, got: " + rule);
        }
        return new ImageCommand(rule.substring(0, eq).trim(), CommandLine.split(rule.substring(eq + 1)));
    }

    public boolean matches(String image) {
        return image != null && toRegex(imagePattern).matcher(image).matches();
    }

    private static Pattern toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
