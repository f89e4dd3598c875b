package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kubelet shim for kwok clusters: for every scheduled, non-terminating Pod matching the selector, runs a local
 * process standing in for its container, with the Pod's resolved environment and its own loopback port; stops it
 * (SIGTERM, grace period, SIGKILL) when the Pod is deleted or replaced, restarts it with back-off when it exits.
 *
 * <pre>{@code
 * try (PodRunner runner = PodRunner.start(client, PodRunnerConfig.builder()
 *     .namespace("e2e").imageCommand("chopsticks/bot-runtime*=java -jar /abs/bot-runtime.jar").build())) {
 *   ProcessInfo p = runner.awaitRunning("bot-shards-0", null, Duration.ofSeconds(60));
 *   // http://127.0.0.1:p.port()/ready
 * }
 * }</pre>
 */
public final class PodRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodRunner.class);

    private final PodRunnerConfig config;
    private final RunnerContext ctx;
    private final Map<String, PodSlot> slots = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final Thread shutdownHook;
    private volatile SharedIndexInformer<Pod> informer;

    private PodRunner(KubernetesClient client, PodRunnerConfig config) {
        this.config = config;
        EnvResolver resolver = new EnvResolver(new ClusterConfigSource(client), config.host());
        this.ctx = new RunnerContext(
                client,
                config,
                new LaunchPlanner(config, resolver, System.getenv()),
                new PodStatusWriter(client),
                new PodEvents(client),
                new TerminationHold(client),
                new ProcessBoard(),
                new LoopbackPorts(),
                new ReadinessCheck(),
                Executors.newCachedThreadPool(daemonThreads("pod-runner-worker")),
                Executors.newSingleThreadScheduledExecutor(daemonThreads("pod-runner-timer")),
                new StartPacer(config.startSpacing(), Clock.systemUTC()),
                new ServiceAccountTokens(client, config));
        // JUnit or a CLI user may exit without close(): the hook still takes every child process down.
        this.shutdownHook = new Thread(this::close, "pod-runner-shutdown");
    }

    /** Starts watching and running Pods; returns once the informer has listed the current Pods. */
    public static PodRunner start(KubernetesClient client, PodRunnerConfig config) {
        int orphans = OrphanReaper.reap(config.logDir().resolve(config.namespace()));
        if (orphans > 0) {
            LOG.warn("killed {} process(es) a previous pod-runner left running", orphans);
        }
        int leftovers = ServiceAccountTokens.removeLeftovers(config.logDir().resolve(config.namespace()));
        if (leftovers > 0) {
            LOG.warn("removed {} token kubeconfig(s) a previous pod-runner left behind", leftovers);
        }
        PodRunner runner = new PodRunner(client, config);
        Runtime.getRuntime().addShutdownHook(runner.shutdownHook);
        try {
            runner.informer = client.pods()
                    .inNamespace(config.namespace())
                    .withLabelSelector(config.labelSelector())
                    .inform(runner.new Handler(), 0);
        } catch (RuntimeException e) {
            // No cluster, no permission: leave no hook and no threads behind.
            runner.close();
            throw e;
        }
        LOG.info(
                "pod-runner watching pods in {} with {} (logs in {})",
                config.namespace(),
                config.labelSelector(),
                config.logDir().toAbsolutePath());
        return runner;
    }

    /** The processes by Pod name: one entry per Pod incarnation the runner currently runs (or restarts). */
    public Map<String, ProcessInfo> processes() {
        return ctx.board().snapshot();
    }

    /** The process of that Pod, if any. */
    public Optional<ProcessInfo> process(String podName) {
        return Optional.ofNullable(processes().get(podName));
    }

    /**
     * Waits until the Pod's process runs.
     *
     * @param uid the Pod UID whose process is awaited, or null for any
     * @throws IllegalStateException on timeout, saying what the process was doing
     */
    public ProcessInfo awaitRunning(String podName, String uid, Duration timeout) {
        return await(
                        podName,
                        p -> p.isPresent()
                                && p.get().running()
                                && (uid == null || uid.equals(p.get().uid())),
                        timeout)
                .orElseThrow();
    }

    /** Waits until the Pod's process answers its readiness probe (or runs, without a probe). */
    public ProcessInfo awaitReady(String podName, String uid, Duration timeout) {
        return await(
                        podName,
                        p -> p.isPresent()
                                && p.get().running()
                                && p.get().ready()
                                && (uid == null || uid.equals(p.get().uid())),
                        timeout)
                .orElseThrow();
    }

    /** Waits until the runner has no process for that Pod name. */
    public void awaitNoProcess(String podName, Duration timeout) {
        await(podName, Optional::isEmpty, timeout);
    }

    private Optional<ProcessInfo> await(String podName, Predicate<Optional<ProcessInfo>> condition, Duration timeout) {
        try {
            return ctx.board().await(podName, condition, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting on pod " + podName, e);
        }
    }

    /**
     * Stops watching, stops every process (SIGTERM, the Pod's grace period capped at
     * {@link PodRunnerConfig#shutdownGraceCap()}, SIGKILL to the process group) and releases held Pods.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            awaitClosed();
            return;
        }
        try {
            if (Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // The JVM is already shutting down; the hook is running or about to.
                }
            }
            if (informer != null) {
                informer.close();
            }
            List<Future<?>> stops = new ArrayList<>();
            for (PodSlot slot : slots.values()) {
                stops.add(ctx.workers().submit(slot::close));
            }
            for (Future<?> stop : stops) {
                try {
                    stop.get(config.shutdownGraceCap().toMillis() + 30_000, TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    LOG.warn("a pod process did not stop cleanly: {}", e.toString());
                }
            }
            ctx.timers().shutdownNow();
            ctx.workers().shutdownNow();
            LOG.info("pod-runner closed");
        } finally {
            closedLatch.countDown();
        }
    }

    private void awaitClosed() {
        try {
            closedLatch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private PodSlot slot(Pod pod) {
        return slots.computeIfAbsent(pod.getMetadata().getName(), name -> new PodSlot(name, ctx));
    }

    /** Informer callbacks only hand the Pod to its slot: they must never block. */
    private final class Handler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            if (!closed.get()) {
                slot(pod).observe(pod);
            }
        }

        @Override
        public void onUpdate(Pod old, Pod pod) {
            if (closed.get()) {
                return;
            }
            if (!Objects.equals(old.getMetadata().getUid(), pod.getMetadata().getUid())) {
                slot(old).deleted(old);
            }
            slot(pod).observe(pod);
        }

        @Override
        public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            if (!closed.get()) {
                slot(pod).deleted(pod);
            }
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** CLI: {@code java -jar pod-runner.jar --help}. Runs until SIGTERM/SIGINT, then stops every process. */
    public static void main(String[] args) throws InterruptedException {
        PodRunnerCli cli;
        try {
            cli = PodRunnerCli.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("pod-runner: " + e.getMessage());
            System.err.println(PodRunnerCli.USAGE);
            System.exit(2);
            return;
        }
        if (cli.help()) {
            System.out.println(PodRunnerCli.USAGE);
            return;
        }
        if (cli.kubeconfig() != null) {
            // Fabric8 reads this system property before the KUBECONFIG variable.
            System.setProperty("kubeconfig", cli.kubeconfig());
        }
        try (KubernetesClient client = KubeClients.fromEnvironment()) {
            String namespace = Optional.ofNullable(cli.namespace())
                    .or(() -> Optional.ofNullable(client.getNamespace()))
                    .orElse("default");
            PodRunner runner = start(client, cli.config().namespace(namespace).build());
            runner.awaitClosed();
        }
    }
}
