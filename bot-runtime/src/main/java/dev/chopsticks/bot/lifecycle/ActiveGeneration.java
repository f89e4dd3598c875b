package dev.chopsticks.bot.lifecycle;

import dev.chopsticks.bot.concurrent.DaemonThreads;
import dev.chopsticks.bot.relay.GenerationRole;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * active. Until the first list arrives, generation 1 counts as active and later ones as standby. Key
 * {@value #SESSIONS_FROM}, written on the switch of a session hand-off, names the generation whose sessions the active
 * one resumes: the gateway relay of that generation drops them at once ({@link GenerationRole}).
 */
public final class ActiveGeneration implements BooleanSupplier, GenerationRole, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ActiveGeneration.class);

    public static final String KEY = "active-generation";
    public static final String SESSIONS_FROM = "sessions-from";
    static final Duration RETRY_FIRST = Duration.ofMillis(500);
    static final Duration RETRY_MAX = Duration.ofSeconds(10);

    private final int generation;
    private volatile boolean active;
    private volatile boolean retiring;
    private volatile boolean handsOver;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile SharedIndexInformer<ConfigMap> informer;
    private volatile boolean closed;
    private volatile int failedStarts;

    ActiveGeneration(int generation) {
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

    /**
     * Until the first list succeeds: a failed start (the API server busy or unreachable for a moment) is retried with
     * backoff, never given up. A pod that gave up would stay standby through a switch, answering late and racing the
     * retiring generation for every slash command. After the first sync the informer re-watches by itself.
     */
    private void start(KubernetesClient client, String namespace, String name) {
        long backoffMs = RETRY_FIRST.toMillis();
        while (!closed && !tryStart(client, namespace, name)) {
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoffMs = Math.min(backoffMs * 2, RETRY_MAX.toMillis());
        }
    }

    private boolean tryStart(KubernetesClient client, String namespace, String name) {
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
                return true;
            }
            if (i.getStore().list().isEmpty()) {
                update(null);
            }
            return true;
        } catch (RuntimeException e) {
            if (closed) {
                return true; // closed while starting: nothing left to watch for
            }
            log.warn(
                    "cannot watch ConfigMap {}/{} ({}): generation {} stays {} and tries again",
                    namespace,
                    name,
                    e.toString(),
                    generation,
                    active ? "active" : "standby");
            failedStarts++;
            return false;
        }
    }

    /** Exposed for tests: what a given ConfigMap (null: none) means for this pod. */
    void update(ConfigMap cm) {
        String value = cm == null || cm.getData() == null ? null : cm.getData().get(KEY);
        String from = cm == null || cm.getData() == null ? null : cm.getData().get(SESSIONS_FROM);
        boolean now = true;
        boolean older = false;
        if (isNumber(value)) {
            now = Integer.parseInt(value) == generation;
            older = Integer.parseInt(value) > generation;
        }
        boolean handing = older && isNumber(from) && Integer.parseInt(from) == generation;
        if (now != active) {
            log.info(
                    "generation {} is now {} (active-generation={})",
                    generation,
                    now ? "ACTIVE: handling events" : "standby: gateway kept, events ignored but missed slash commands",
                    value);
        }
        // handed over until active again: the key goes with the reconcile after the switch
        boolean handed = older && (handsOver || handing);
        boolean changed = now != active || older != retiring || handed != handsOver;
        active = now;
        retiring = older;
        handsOver = handed;
        if (changed) {
            listeners.forEach(Runnable::run);
        }
    }

    private static boolean isNumber(String v) {
        return v != null && v.matches("[1-9][0-9]{0,8}");
    }

    @Override
    public boolean active() {
        return active;
    }

    @Override
    public boolean retiring() {
        return retiring;
    }

    @Override
    public boolean handsOver() {
        return handsOver;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public boolean getAsBoolean() {
        return active;
    }

    /** Starts that failed so far (tests). */
    int failedStarts() {
        return failedStarts;
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
