package dev.chopsticks.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.operator.bench.ConvergenceBenchmark;
import dev.chopsticks.operator.intake.ClusterReading;
import dev.chopsticks.operator.metrics.ApiRequestCounter;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The convergence benchmark on a bare API server, small by default so the build stays fast:
 * {@code -Dbench.shards=2000} runs the real size (the simulated cluster with kube-controller-manager is the
 * benchmark's home; see the class documentation of {@link ConvergenceBenchmark}).
 */
@ExtendWith(KubeApiTestBinaries.class)
@EnableKubeAPIServer
class ConvergenceBenchmarkIT {
    @KubeConfig
    static String kubeConfigYaml;

    @Test
    void convergesAndThenWritesNothing() {
        String shards = System.getProperty("bench.shards", "100");
        var options = ConvergenceBenchmark.Options.parse(new String[] {
            "--shards",
            shards,
            "--crds",
            OperatorHarness.crdsDir().toString(),
            "--timeout",
            "15m",
            "--complete-migration",
            "always"
        });
        ApiRequestCounter requests = new ApiRequestCounter();
        try (KubernetesClient client = new KubernetesClientBuilder()
                        .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                        .build();
                KubernetesClient operatorClient = ClusterReading.clientBuilder()
                        .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(ApiRequestCounter.NAME, requests))
                        .build()) {
            var result = ConvergenceBenchmark.run(options, client, operatorClient, requests);
            System.out.print(result.table());
            System.out.println(result.json());
            assertThat(result.shards()).isEqualTo(Integer.parseInt(shards));
            assertThat(result.noopWrites()).isZero();
        }
    }
}
