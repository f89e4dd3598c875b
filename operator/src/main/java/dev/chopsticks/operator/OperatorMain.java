package dev.chopsticks.operator;

import dev.chopsticks.operator.config.OperatorConfig;
import dev.chopsticks.operator.config.OperatorConfigException;
import dev.chopsticks.operator.http.HealthServer;
import dev.chopsticks.operator.intake.ClusterReading;
import dev.chopsticks.operator.metrics.ApiRequestCounter;
import dev.chopsticks.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar chopsticks-operator.jar}: in a pod (service-account credentials) or locally (KUBECONFIG or
 * ~/.kube/config). Configuration comes from environment variables ({@link OperatorConfig}); a bad one stops the
 * start with a message naming it and exit code 2.
 */
public final class OperatorMain {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

    private OperatorMain() {}

    public static void main(String[] args) throws Exception {
        OperatorConfig config;
        try {
            config = OperatorConfig.fromEnv(System.getenv());
        } catch (OperatorConfigException e) {
            System.err.println("chopsticks-operator: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        ApiRequestCounter requests = new ApiRequestCounter();
        OperatorMetrics metrics = new OperatorMetrics(registry, requests);

        AtomicReference<ChopsticksOperator> operator = new AtomicReference<>();
        HealthServer http = new HealthServer(config.httpPort(), operator::get, registry);
        KubernetesClient client = ClusterReading.clientBuilder()
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(ApiRequestCounter.NAME, requests))
                .build();
        LOG.info(
                "chopsticks-operator starting: API server {}, namespaces {}, leader election {}, HTTP port {}",
                client.getMasterUrl(),
                config.watchesAllNamespaces() ? "all" : config.watchNamespaces(),
                config.leaderElection() ? "on (Lease " + config.leaseName() + ")" : "off",
                http.port());
        try {
            operator.set(new ChopsticksOperator(client, config, metrics));
        } catch (OperatorConfigException e) {
            System.err.println("chopsticks-operator: configuration error: " + e.getMessage());
            http.close();
            client.close();
            System.exit(2);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            LOG.info("chopsticks-operator stopping");
                            try {
                                operator.get().close();
                            } finally {
                                http.close();
                                client.close();
                                stopped.countDown();
                            }
                        },
                        "shutdown"));
        try {
            operator.get().start();
        } catch (RuntimeException e) {
            // nothing would be reconciled: exit so that the pod restarts and its status shows the crash
            LOG.error("chopsticks-operator could not start", e);
            System.exit(1);
            return;
        }
        LOG.info("chopsticks-operator started");
        stopped.await();
    }
}
