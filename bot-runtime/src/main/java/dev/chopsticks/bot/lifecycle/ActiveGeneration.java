package dev.chopsticks.bot.lifecycle;

import dev.chopsticks.bot.concurrent.DaemonThreads;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resharding without downtime runs two generations of shards side by side; only the active one may answer, or every
 * interaction would be acknowledged twice (slash commands are also claimed in Redis around the switch, see
 * {@code discord.InteractionHandoff}). The operator names it in ConfigMap {@code <cluster>-generation}, key
 * {@code active-generation}; this watches that one ConfigMap (field selector on its name, as the bot's Role allows)
 * and says whether this pod's generation is the active one. No ConfigMap or no key means a single generation:
 * active. Until the first list arrives, generation 1 counts as active and later ones as standby.
 */
public final class ActiveGeneration implements BooleanSupplier, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ActiveGeneration.class);

    public static final String KEY = "active-generation";

    private final int generation;
    private volatile boolean active;
    private volatile SharedIndexInformer<ConfigMap> informer;
    private volatile boolean closed;

    private ActiveGeneration(int generation) {
        this.generation = generation;
        this.active = generation == 1;
    }

    /** Always active (outside Kubernetes: one process, one generation). */
    public static BooleanSupplier always() {
        return () -> true;
    }

    /** Starts watching on a background thread (the Kubernetes client stays off the start path). */
    public static ActiveGeneration watch(
            Supplier<KubernetesClient> client, String namespace, String cluster, int generation) {
        ActiveGeneration gate = new ActiveGeneration(generation);
        DaemonThreads.start("active-generation", () -> gate.start(client.get(), namespace, cluster + "-generation"));
        return gate;
    }

    private void start(KubernetesClient client, String namespace, String name) {
        try {
            SharedIndexInformer<ConfigMap> i = client.configMaps()
                    .inNamespace(namespace)
                    .withName(name)
                    .inform(new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(ConfigMap cm) {
                            update(cm);
                        }

                        @Override
                        public void onUpdate(ConfigMap old, ConfigMap cm) {
                            update(cm);
                        }

                        @Override
                        public void onDelete(ConfigMap cm, boolean unknownFinalState) {
                            update(null);
                        }
                    });
            informer = i;
            if (closed) {
                i.close();
                return;
            }
            if (i.getStore().list().isEmpty()) {
                update(null);
            }
        } catch (RuntimeException e) {
            log.warn(
                    "cannot watch ConfigMap {}/{} ({}): generation {} stays {}",
                    namespace,
                    name,
                    e.toString(),
                    generation,
                    active ? "active" : "standby");
        }
    }

    /** Exposed for tests: what a given ConfigMap (null: none) means for this pod. */
    void update(ConfigMap cm) {
        String value = cm == null || cm.getData() == null ? null : cm.getData().get(KEY);
        boolean now = true;
        if (value != null && value.matches("[1-9][0-9]{0,8}")) {
            now = Integer.parseInt(value) == generation;
        }
        if (now != active) {
            log.info(
                    "generation {} is now {} (active-generation={})",
                    generation,
                    now ? "ACTIVE: handling events" : "standby: gateway kept, events ignored but missed slash commands",
                    value);
        }
        active = now;
    }

    @Override
    public boolean getAsBoolean() {
        return active;
    }

    public int generation() {
        return generation;
    }

    @Override
    public void close() {
        closed = true;
        SharedIndexInformer<ConfigMap> i = informer;
        if (i != null) {
            i.close();
        }
    }
}
