package dev.chopsticks.bot.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.bot.testinfra.KubeApiTestBinaries;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bot whose first watch of the generation ConfigMap fails (the API server unreachable for a moment, as under load
 * in the reshard e2e) keeps trying and follows the switch once it gets through. Before the retry it stayed standby
 * for good. The API server is real; the outage is a loopback TCP forwarder to it that is not listening at first.
 */
@ExtendWith(KubeApiTestBinaries.class)
@EnableKubeAPIServer
class ActiveGenerationIT {
    private static final String NS = "gen";

    static KubernetesClient client;

    @KubeConfig
    static String kubeConfigYaml;

    @Test
    void aWatchThatCannotStartIsRetriedUntilItSeesTheActiveGeneration() throws Exception {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .serverSideApply();
        client.configMaps()
                .inNamespace(NS)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("c-generation")
                        .endMetadata()
                        .withData(Map.of(ActiveGeneration.KEY, "2"))
                        .build())
                .serverSideApply();

        URI server = URI.create(client.getConfiguration().getMasterUrl());
        int proxyPort;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            proxyPort = probe.getLocalPort();
        }
        Config config = Config.fromKubeconfig(kubeConfigYaml);
        config.setMasterUrl("https://127.0.0.1:" + proxyPort);
        config.setRequestTimeout(2_000);
        try (KubernetesClient viaProxy =
                        new KubernetesClientBuilder().withConfig(config).build();
                ActiveGeneration gate = ActiveGeneration.watch(() -> viaProxy, NS, "c", 2)) {
            assertThat(gate.getAsBoolean()).as("generation 2 starts as standby").isFalse();
            await().atMost(Duration.ofSeconds(30)).until(() -> gate.failedStarts() >= 1);
            assertThat(gate.getAsBoolean()).isFalse();

            try (Forwarder up = Forwarder.start(proxyPort, server.getHost(), server.getPort())) {
                await().atMost(Duration.ofSeconds(30)).until(gate::getAsBoolean);
            }
        }
    }

    /** Copies bytes both ways between loopback clients and the API server (TLS passes through untouched). */
    private record Forwarder(ServerSocket server) implements AutoCloseable {
        static Forwarder start(int port, String host, int targetPort) throws IOException {
            ServerSocket s = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!s.isClosed()) {
                    try {
                        Socket in = s.accept();
                        Socket out = new Socket(host, targetPort);
                        Thread.ofVirtual().start(() -> pump(in, out));
                        Thread.ofVirtual().start(() -> pump(out, in));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            return new Forwarder(s);
        }

        private static void pump(Socket from, Socket to) {
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // one side closed: the other follows
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
