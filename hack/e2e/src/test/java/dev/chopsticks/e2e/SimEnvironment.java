package dev.chopsticks.e2e;

import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.control.SimControl;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;

/**
 * The sample on the simulated cluster (KUBECONFIG from {@code hack/sim-cluster.sh}): {@link RealBots} (bot processes
 * for the kwok pods, real PostgreSQL, PgBouncer and Redis processes, the in-JVM simulator) and the operator jar as a
 * process. The operator's own PgBouncer and Redis cannot serve here (their Service names do not resolve on loopback),
 * so the sample uses the test's; kind runs the operator's.
 */
final class SimEnvironment implements ClusterEnvironment {
    private static final String NS = "e2e-sample";
    private static final int SHARDS = 8;

    private final KubernetesClient client;
    private final RealBots bots;
    private final OperatorProcess operator;

    private SimEnvironment(KubernetesClient client, RealBots bots, OperatorProcess operator) {
        this.client = client;
        this.bots = bots;
        this.operator = operator;
    }

    static SimEnvironment start() throws Exception {
        KubernetesClient client = E2eCluster.connect();
        E2eCluster.installCrds(client);
        RealBots bots = RealBots.start(
                client,
                NS,
                SimConfig.builder().guilds(SHARDS * 2_000).maxConcurrency(1).identifyWindow(Duration.ofSeconds(5)));
        SimEnvironment env = new SimEnvironment(client, bots, OperatorProcess.start("sample-a", NS, 18097));
        // the sample as the quick start applies it: 16,000 guilds, the operator's defaults for the rest
        client.resource(bots.cluster(SHARDS * 2_000L, null, 1, RealBots.IMAGE + ":sample", null))
                .serverSideApply();
        new ShardRollout(client, NS, SHARDS, bots.timeline).awaitRolledOut();
        return env;
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public String namespace() {
        return NS;
    }

    @Override
    public int shards() {
        return SHARDS;
    }

    @Override
    public SimControl discord() {
        return bots.discord;
    }

    @Override
    public ShardTimeline timeline() {
        return bots.timeline;
    }

    @Override
    public void close() throws Exception {
        RealBots.tearDown(client, bots, NS, List.of(operator), "sample-sim-events.txt");
    }
}
