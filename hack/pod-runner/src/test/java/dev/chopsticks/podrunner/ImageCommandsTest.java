package dev.chopsticks.podrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageCommandsTest {
    @Test
    void firstMatchingGlobWins() {
        var commands = ImageCommands.parse(List.of(
                "chopsticks/bot-runtime:debug=java -agentlib:jdwp=transport=dt_socket -jar /x/bot.jar",
                "chopsticks/bot-runtime*=java -jar /abs/bot-runtime.jar",
                "*=false"));

        assertThat(commands.forImage("chopsticks/bot-runtime:0.1.0-SNAPSHOT")
                        .orElseThrow()
                        .command())
                .containsExactly("java", "-jar", "/abs/bot-runtime.jar");
        assertThat(commands.forImage("chopsticks/bot-runtime:debug")
                        .orElseThrow()
                        .command())
                .containsExactly("java", "-agentlib:jdwp=transport=dt_socket", "-jar", "/x/bot.jar");
        assertThat(commands.forImage("redis:7").orElseThrow().command()).containsExactly("false");
    }

    @Test
    void noRuleNoCommand() {
        var commands = ImageCommands.parse(List.of("chopsticks/bot-runtime*=java -jar bot.jar"));

        assertThat(commands.forImage("docker.io/chopsticks/bot-runtime:1")).isEmpty();
        assertThat(commands.forImage("chopsticks/bot-runtimeX")).isPresent();
        assertThat(ImageCommand.parse("a?c=x").matches("abc")).isTrue();
        assertThat(ImageCommand.parse("a.c=x").matches("abc"))
                .as("a dot is literal")
                .isFalse();
    }

    @Test
    void commandIsSplitLikeAShellWouldWithoutExpansion() {
        assertThat(ImageCommand.parse("img=sh -c 'echo \"$HOME\" done' \"a b\" c\\ d $(X)")
                        .command())
                .containsExactly("sh", "-c", "echo \"$HOME\" done", "a b", "c d", "$(X)");
    }

    @Test
    void rejectsMalformedRules() {
        assertThatThrownBy(() -> ImageCommand.parse("no-equals-sign")).hasMessageContaining("IMAGE_GLOB=COMMAND");
        assertThatThrownBy(() -> ImageCommand.parse("img=  ")).hasMessageContaining("empty command");
        assertThatThrownBy(() -> ImageCommand.parse("img=sh -c 'open")).hasMessageContaining("unterminated");
    }
}
