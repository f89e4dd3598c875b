package dev.chopsticks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.discordsim.control.DiscordSimClient;
import dev.chopsticks.discordsim.control.SimControl;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.time.Duration;
import java.util.List;

/**
 * The sample that {@code hack/up.sh} deployed on kind (KUBECONFIG points at it): the chart-installed operator, real
 * kubelets running the bot image, the operator's own PgBouncer, Redis and migrations Job, the demo PostgreSQL and the
 * Discord simulator as pods. Nothing is started here: the environment checks that the deployment is what the quick
 * start promises (operator available, every Shard Ready) and reaches the simulator through a port-forward.
 */
final class KindEnvironment implements ClusterEnvironment {
    static final String NAMESPACE_PROPERTY = "chopsticks.e2e.namespace";
    private static final Duration READY_WITHIN = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final String namespace;
    private final int shards;
    private final LocalPortForward simulator;
    private final SimControl discord;
    private final ShardTimeline timeline;

    private KindEnvironment(
            KubernetesClient client, String namespace, int shards, LocalPortForward simulator, ShardTimeline timeline) {
        this.client = client;
        this.namespace = namespace;
        this.shards = shards;
        this.simulator = simulator;
        this.discord = new DiscordSimClient("http://127.0.0.1:" + simulator.getLocalPort());
        this.timeline = timeline;
    }

    static KindEnvironment start() {
        String namespace = System.getProperty(NAMESPACE_PROPERTY, "chopsticks-demo");
        KubernetesClient client = E2eCluster.connect();
        await().atMost(READY_WITHIN)
                .alias("the chart-installed operator available (run hack/up.sh first)")
                .until(() -> operatorDeployments(client).stream()
                        .anyMatch(d -> d.getStatus() != null
                                && d.getStatus().getAvailableReplicas() != null
                                && d.getStatus().getAvailableReplicas() > 0));
        int shards = await().atMost(READY_WITHIN)
                .alias("every Shard of " + namespace + "/" + RealBots.CLUSTER + " Ready")
                .until(() -> readyShards(client, namespace), n -> n > 0);
        LocalPortForward simulator =
                client.services().inNamespace(namespace).withName("discord-sim").portForward(8090);
        return new KindEnvironment(client, namespace, shards, simulator, new ShardTimeline(client, namespace));
    }

    private static List<Deployment> operatorDeployments(KubernetesClient client) {
        return client.apps()
                .deployments()
                .inAnyNamespace()
                .withLabel("app.kubernetes.io/component", "operator")
                .withLabel("app.kubernetes.io/part-of", "chopsticks")
                .list()
                .getItems();
    }

    /** The planned shard count once every one is Ready, else 0. */
    private static int readyShards(KubernetesClient client, String namespace) {
        ChopsticksCluster cluster = client.resources(ChopsticksCluster.class)
                .inNamespace(namespace)
                .withName(RealBots.CLUSTER)
                .get();
        assertThat(cluster)
                .as("%s/%s (hack/up.sh deploys it)", namespace, RealBots.CLUSTER)
                .isNotNull();
        var status = cluster.getStatus();
        if (status == null || status.shards() == null || !status.shards().equals(status.readyShards())) {
            return 0;
        }
        return status.shards();
    }

    @Override
    public String name() {
        return "kind";
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public int shards() {
        return shards;
    }

    @Override
    public SimControl discord() {
        return discord;
    }

    @Override
    public ShardTimeline timeline() {
        return timeline;
    }

    @Override
    public void close() throws Exception {
        timeline.close();
        simulator.close();
        client.close();
    }
}
