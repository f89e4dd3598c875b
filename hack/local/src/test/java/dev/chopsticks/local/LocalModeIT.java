package dev.chopsticks.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.discordsim.control.DiscordSimClient;
import dev.chopsticks.discordsim.interaction.CommandOption;
import dev.chopsticks.discordsim.interaction.InteractionOutcome;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The newcomer's quick start, as documented: {@code java -jar chopsticks-local.jar --shards 2} with no URLs.
 * PostgreSQL refuses to run as root, so as root the jar runs as the {@code postgres} user (setpriv), as a developer's
 * own account would.
 */
class LocalModeIT {

    @Test
    void runWithSimulatorStartsEverythingAndAnswersACommand() throws Exception {
        int simPort = LocalServices.freePort();
        int httpPort = LocalServices.freePort();
        Path log = Files.createTempFile("local-mode-", ".log");
        log.toFile().setWritable(true, false);
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--clear-groups", "--"));
        }
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar().toAbsolutePath().toString(),
                "--shards",
                "2"));
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().retainAll(List.of("PATH", "LANG"));
        pb.environment().put("HOME", System.getProperty("java.io.tmpdir"));
        pb.environment().put("SIM_PORT", Integer.toString(simPort));
        pb.environment().put("HTTP_PORT", Integer.toString(httpPort));
        Process process = pb.start();
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                assertThat(process.isAlive())
                        .as("local mode running; output:%n%s", Files.readString(log))
                        .isTrue();
                return Files.readString(log).contains("Chopsticks is running locally: 2 shard(s)");
            });
            String out = Files.readString(log);
            assertThat(out).contains("curl -s -X POST http://127.0.0.1:" + simPort + "/_sim/interactions");
            DiscordSimClient sim = new DiscordSimClient("http://127.0.0.1:" + simPort);
            long guild = sim.guildIdsForShard(1, 2).get(0);
            InteractionOutcome reply = sim.invoke(
                    SlashCommand.of("config", guild).withOptions(CommandOption.subcommand("view")),
                    Duration.ofSeconds(10));
            assertThat(reply.complete()).isTrue();
            assertThat(reply.replies().get(0).payload().toString()).contains("Server settings");
            assertThat(sim.stats().connectionsPerShard()).containsKeys("0/2", "1/2");
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS))
                    .as("stopped on SIGTERM")
                    .isTrue();
            Files.deleteIfExists(log);
        }
    }

    /** The jar the build just packaged (failsafe passes its path). */
    private static Path jar() {
        Path jar = Path.of(System.getProperty("local.jar", "target/chopsticks-local.jar"));
        assertThat(jar)
                .as("run the ITs through 'mvn verify' (package comes first)")
                .isRegularFile();
        return jar;
    }
}
