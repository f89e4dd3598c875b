package dev.chopsticks.e2e;

import dev.chopsticks.discordsim.control.SimControl;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Where a portable scenario runs, chosen with {@code -Dchopsticks.e2e.cluster}: {@code sim} (the default; {@link
 * SimEnvironment}: kwok nodes, the bots run by pod-runner, the operator as a local process) or {@code kind} ({@link
 * KindEnvironment}: real kubelets, the chart-installed operator, every component a pod). Either way the scenario gets
 * the same thing: the quick start's sample, a ChopsticksCluster {@value RealBots#CLUSTER} of real bots Ready on
 * 16,000 guilds, the Discord simulator they talk to, and a timeline of their pods and Shards. A portable scenario
 * carries the JUnit tag {@value #PORTABLE}; {@code hack/kind-e2e.sh} runs those on kind.
 */
interface ClusterEnvironment extends AutoCloseable {
    String PROPERTY = "chopsticks.e2e.cluster";
    String PORTABLE = "any-cluster";

    static ClusterEnvironment start() throws Exception {
        String kind = System.getProperty(PROPERTY, "sim");
        return switch (kind) {
            case "sim" -> SimEnvironment.start();
            case "kind" -> KindEnvironment.start();
            default -> throw new IllegalArgumentException(PROPERTY + " must be sim or kind, not " + kind);
        };
    }

    /** {@code sim} or {@code kind}, for the figures a scenario prints. */
    String name();

    KubernetesClient client();

    /** The sample's namespace; the ChopsticksCluster is {@value RealBots#CLUSTER}. */
    String namespace();

    /** How many shards the sample runs (Ready when the environment is handed over). */
    int shards();

    SimControl discord();

    /** Pod deletions and Ready sessions of the sample's shards, recorded since the environment started. */
    ShardTimeline timeline();

    /** Leaves nothing this environment started; kind's deployment belongs to hack/up.sh and stays. */
    @Override
    void close() throws Exception;
}
