package dev.chopsticks.bot.shardstatus;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.function.Supplier;

/**
 * The process's one Kubernetes client (pod ServiceAccount in a cluster), created on first use so Fabric8 stays off
 * the start path. Fabric8's own request retries are off: a failed status write is superseded by the next report,
 * and a retry arriving after a newer write would put an old phase back.
 */
public final class LazyKubernetesClient implements Supplier<KubernetesClient>, AutoCloseable {
    private KubernetesClient client;
    private boolean closed;

    @Override
    public synchronized KubernetesClient get() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (client == null) {
            client = new KubernetesClientBuilder()
                    .withConfig(
                            new ConfigBuilder().withRequestRetryBackoffLimit(0).build())
                    .build();
        }
        return client;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            client.close();
        }
    }
}
