package dev.chopsticks.podrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PodRunnerCliTest {
    @Test
    void parsesEveryOption() {
        PodRunnerCli cli = PodRunnerCli.parse(new String[] {
            "--kubeconfig",
            "/k",
            "-n",
            "e2e",
            "--selector",
            "app=x",
            "--image-command",
            "chopsticks/bot-runtime*=java -jar /abs/bot-runtime.jar",
            "--port-env",
            "PORT",
            "--log-dir",
            "/logs",
            "--work-dir",
            "/w",
            "--env",
            "A=b=c",
            "--inherit-env",
            "PATH,JAVA_HOME",
            "--restart-backoff",
            "500ms:1m",
            "--no-restart-status",
            "--readiness-bridge",
            "--readiness-period",
            "PT2S",
            "--hold-termination",
            "--shutdown-grace-cap",
            "3s",
            "--service-account-tokens"
        });

        PodRunnerConfig config = cli.config().namespace(cli.namespace()).build();

        assertThat(cli.kubeconfig()).isEqualTo("/k");
        assertThat(config.namespace()).isEqualTo("e2e");
        assertThat(config.labelSelector()).isEqualTo("app=x");
        assertThat(config.imageCommands()
                        .forImage("chopsticks/bot-runtime:1")
                        .orElseThrow()
                        .command())
                .containsExactly("java", "-jar", "/abs/bot-runtime.jar");
        assertThat(config.portEnv()).isEqualTo("PORT");
        assertThat(config.logDir()).isEqualTo(Path.of("/logs"));
        assertThat(config.workingDir()).isEqualTo(Path.of("/w"));
        assertThat(config.extraEnv()).containsEntry("A", "b=c");
        assertThat(config.inheritedEnv()).containsExactly("PATH", "JAVA_HOME");
        assertThat(config.restartBackoffInitial()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.restartBackoffMax()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.recordRestarts()).isFalse();
        assertThat(config.readinessBridge()).isTrue();
        assertThat(config.readinessPeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.holdTermination()).isTrue();
        assertThat(config.shutdownGraceCap()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.serviceAccountTokens()).isTrue();
    }

    @Test
    void defaultsMatchTheShardStatefulSet() {
        PodRunnerConfig config = PodRunnerCli.parse(new String[] {"--image-command", "x=y"})
                .config()
                .build();

        assertThat(config.labelSelector()).isEqualTo("app.kubernetes.io/component=shard");
        assertThat(config.portEnv()).isEqualTo("HTTP_PORT");
        assertThat(config.logDir()).isEqualTo(Path.of("target/pod-runner"));
        assertThat(config.recordRestarts()).isTrue();
        assertThat(config.readinessBridge()).isFalse();
        assertThat(config.holdTermination()).isFalse();
        assertThat(config.serviceAccountTokens()).isFalse();
    }

    @Test
    void rejectsWhatItCannotRun() {
        assertThatThrownBy(() -> PodRunnerCli.parse(new String[0])).hasMessageContaining("--image-command");
        assertThatThrownBy(() -> PodRunnerCli.parse(new String[] {"--image-command"}))
                .hasMessageContaining("needs a value");
        assertThatThrownBy(() -> PodRunnerCli.parse(new String[] {"--image-command", "x=y", "--bogus"}))
                .hasMessageContaining("unknown option --bogus");
        assertThat(PodRunnerCli.parse(new String[] {"--help"}).help()).isTrue();
    }
}
