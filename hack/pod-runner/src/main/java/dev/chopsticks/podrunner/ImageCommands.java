package dev.chopsticks.podrunner;

import java.util.List;
import java.util.Optional;

/** The image-to-command rules, tried in order: the first match wins. */
public record ImageCommands(List<ImageCommand> rules) {
    public ImageCommands {
        rules = List.copyOf(rules);
    }

    public static ImageCommands parse(List<String> rules) {
        return new ImageCommands(rules.stream().map(ImageCommand::parse).toList());
    }

    public Optional<ImageCommand> forImage(String image) {
        return rules.stream().filter(r -> r.matches(image)).findFirst();
    }
}
