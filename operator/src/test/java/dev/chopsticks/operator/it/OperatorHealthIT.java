package dev.chopsticks.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import dev.chopsticks.operator.ChopsticksOperator;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.config.OperatorConfig;
import dev.chopsticks.operator.http.HealthServer;
import dev.chopsticks.operator.intake.ClusterReading;
import dev.chopsticks.operator.metrics.ApiRequestCounter;
import dev.chopsticks.operator.metrics.OperatorMetrics;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tier 2: {@code /healthz} tells the liveness probe when the operator cannot work: its start failed (here: no CRDs
 * installed, the informers cannot list), or an informer stopped at run time (here: a {@code Shard} the operator's
 * client fails to read, by an injected fault (written with the Shard CRD's schema relaxed), since the tolerant reading of {@link ClusterReading} keeps unreadable
 * custom resources from stopping it). It used to answer 200 in both: the start
 * failure left a JVM that reconciled nothing, and JOSDK's default for a stopped informer is {@code System.exit}.
 */
@ExtendWith(KubeApiTestBinaries.class)
@EnableKubeAPIServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorHealthIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @KubeConfig
    static String kubeConfigYaml;

    static ChopsticksOperator operator(KubernetesClient client) {
        return new ChopsticksOperator(
                client,
                OperatorConfig.forTests(),
                new OperatorMetrics(new SimpleMeterRegistry(), new ApiRequestCounter()));
    }

    static KubernetesClient operatorClient() {
        return ClusterReading.clientBuilder()
                .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                .build();
    }

    static int healthz(HealthServer server) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                                .timeout(Duration.ofSeconds(1))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    @Order(1)
    void anOperatorWhoseStartFailedIsNotHealthy() throws Exception {
        try (KubernetesClient client = operatorClient();
                ChopsticksOperator op = operator(client);
                var server = new HealthServer(0, () -> op, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            assertThat(op.isHealthy()).as("starting").isTrue();
            assertThatThrownBy(op::start)
                    .as("no CRDs: the informers cannot list")
                    .isInstanceOf(RuntimeException.class);
            assertThat(op.isStarted()).isFalse();
            assertThat(op.isHealthy()).isFalse();
            // the informer's own stop may be told before start() gives up
            assertThat(op.broken())
                    .hasValueSatisfying(
                            why -> assertThat(why).matches("start failed: .*|informer ChopsticksCluster stopped: .*"));
            assertThat(healthz(server)).isEqualTo(503);
        }
    }

    /** The operator's client, whose reading of a ShardStatus with message {@value InjectedFault#FAULT} fails. */
    static KubernetesClient faultyClient() {
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(ClusterReading.module())
                .registerModule(new SimpleModule("fault").setDeserializerModifier(new InjectedFault()))
                // unwrapped, the failure is no JsonMappingException, which the tolerant reading would absorb
                .disable(DeserializationFeature.WRAP_EXCEPTIONS);
        return new KubernetesClientBuilder()
                .withKubernetesSerialization(new KubernetesSerialization(mapper, true))
                .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                .build();
    }

    /** A bug in reading, of the kind no tolerance foresees. */
    static final class InjectedFault extends BeanDeserializerModifier {
        static final String FAULT = "injected fault";

        @Override
        public JsonDeserializer<?> modifyDeserializer(
                DeserializationConfig config, BeanDescription description, JsonDeserializer<?> deserializer) {
            return description.getBeanClass() == ShardStatus.class ? new Failing(deserializer) : deserializer;
        }

        static final class Failing extends DelegatingDeserializer {
            Failing(JsonDeserializer<?> delegate) {
                super(delegate);
            }

            @Override
            protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
                return new Failing(delegate);
            }

            @Override
            public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                Object value = super.deserialize(p, ctxt);
                if (value instanceof ShardStatus s && FAULT.equals(s.message())) {
                    throw new IllegalStateException(FAULT);
                }
                return value;
            }
        }
    }

    @Test
    @Order(2)
    void anInformerThatStopsMakesTheOperatorUnhealthy() throws Exception {
        try (KubernetesClient admin = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                .build()) {
            OperatorHarness.applyCrds(admin, OperatorHarness.relaxed("shards.chopsticks.dev"));
            admin.resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName("health")
                            .endMetadata()
                            .build())
                    .serverSideApply();
            try (KubernetesClient client = faultyClient();
                    ChopsticksOperator op = operator(client);
                    var server = new HealthServer(0, () -> op, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
                op.start();
                assertThat(op.isHealthy()).isTrue();
                assertThat(healthz(server)).isEqualTo(200);

                GenericKubernetesResource shard = new GenericKubernetesResource();
                shard.setApiVersion("chopsticks.dev/v1alpha1");
                shard.setKind("Shard");
                shard.setMetadata(new ObjectMetaBuilder()
                        .withName("broken")
                        .withNamespace("health")
                        .withLabels(Map.of(
                                Labels.MANAGED_BY, Labels.MANAGER,
                                Labels.PART_OF, "chopsticks",
                                Labels.COMPONENT, "shard"))
                        .build());
                shard.setAdditionalProperty("spec", Map.of("shardId", 0, "shardCount", 1));
                GenericKubernetesResource created = admin.resource(shard).create();
                created.setAdditionalProperty("status", Map.of("message", InjectedFault.FAULT));
                admin.resource(created).updateStatus();

                await().atMost(TIMEOUT).until(() -> !op.isHealthy());
                assertThat(op.broken())
                        .hasValueSatisfying(why -> assertThat(why).startsWith("informer Shard stopped"));
                assertThat(healthz(server)).isEqualTo(503);
            }
        }
    }
}
