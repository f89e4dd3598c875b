package dev.chopsticks.operator.bench;

import dev.chopsticks.api.v1alpha1.BotSpec;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.Durations;
import dev.chopsticks.api.v1alpha1.PostgresSpec;
import dev.chopsticks.api.v1alpha1.SecretKeyRef;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardingSpec;
import dev.chopsticks.operator.ChopsticksOperator;
import dev.chopsticks.operator.config.OperatorConfig;
import dev.chopsticks.operator.intake.ClusterReading;
import dev.chopsticks.operator.metrics.ApiRequestCounter;
import dev.chopsticks.operator.metrics.OperatorMetrics;
import dev.chopsticks.operator.migrations.MigrationJob;
import dev.chopsticks.operator.plan.ShardPlan;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Applies a large ChopsticksCluster (2,000 shards by default) to the cluster in KUBECONFIG, runs the operator
 * in-process against it, waits for convergence and prints the time, the operator's API requests and its heap.
 * Then pokes the cluster once more and reports the writes of that no-op reconcile (expected: 0).
 *
 * <pre>
 * java -cp operator/target/chopsticks-operator.jar dev.chopsticks.operator.bench.ConvergenceBenchmark \
 *     [--shards 2000] [--shards-per-pod 1] [--namespace chopsticks-bench] [--crds crds] \
 *     [--complete-migration auto|always|never] [--timeout 20m] [--keep]
 * </pre>
 *
 * Converged means: status.observedGeneration is current, status.shards is the count, every Shard object exists
 * with the pod side of its status, the shard StatefulSet has the pod count as replicas, and the operator has made
 * no write for 5 s. Without a Job controller (a bare API server) the migration Job never finishes:
 * {@code --complete-migration auto} (default) writes a succeeded status if the Job is still running after 20 s.
 */
public final class ConvergenceBenchmark {

    public record Options(
            int shards,
            int shardsPerPod,
            String namespace,
            Optional<Path> crds,
            String completeMigration,
            Duration timeout,
            boolean keep) {

        public static Options parse(String[] args) {
            int shards = 2000;
            int perPod = 1;
            String ns = "chopsticks-bench";
            Optional<Path> crds = Optional.empty();
            String complete = "auto";
            Duration timeout = Duration.ofMinutes(20);
            boolean keep = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--shards" -> shards = Integer.parseInt(args[++i]);
                    case "--shards-per-pod" -> perPod = Integer.parseInt(args[++i]);
                    case "--namespace" -> ns = args[++i];
                    case "--crds" -> crds = Optional.of(Path.of(args[++i]));
                    case "--complete-migration" -> complete = args[++i];
                    case "--timeout" -> timeout = Durations.parse(args[++i]);
                    case "--keep" -> keep = true;
                    default ->
                        throw new IllegalArgumentException("unknown argument " + a + " (see the class documentation)");
                }
            }
            if (!List.of("auto", "always", "never").contains(complete)) {
                throw new IllegalArgumentException("--complete-migration must be auto, always or never");
            }
            return new Options(shards, perPod, ns, crds, complete, timeout, keep);
        }
    }

    private ConvergenceBenchmark() {}

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        ApiRequestCounter requests = new ApiRequestCounter();
        try (KubernetesClient client = new KubernetesClientBuilder().build();
                KubernetesClient operatorClient = ClusterReading.clientBuilder()
                        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(ApiRequestCounter.NAME, requests))
                        .build()) {
            ConvergenceResult r = run(o, client, operatorClient, requests);
            System.out.println();
            System.out.print(r.table());
            System.out.println(r.json());
        }
        System.exit(0);
    }

    /**
     * One run. {@code operatorClient} must carry {@code requests} as its interceptor; {@code client} is the
     * benchmark's own (its requests are not counted).
     */
    public static ConvergenceResult run(
            Options o, KubernetesClient client, KubernetesClient operatorClient, ApiRequestCounter requests) {
        System.out.printf(
                "API server %s, %d shards, %d per pod, namespace %s%n",
                client.getMasterUrl(), o.shards(), o.shardsPerPod(), o.namespace());
        o.crds().ifPresent(dir -> applyCrds(client, dir));
        prepareNamespace(client, o.namespace());

        OperatorMetrics metrics = new OperatorMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), requests);
        OperatorConfig config = new OperatorConfig(
                Set.of(o.namespace()),
                0,
                false,
                "chopsticks-operator",
                Optional.empty(),
                Optional.of("benchmark"),
                5,
                Duration.ofMinutes(10));
        try (ChopsticksOperator operator = new ChopsticksOperator(operatorClient, config, metrics)) {
            operator.start();
            long startRequests = requests.total();
            long startWrites = requests.writes();
            Map<String, Long> startByMethod = requests.snapshot();
            Instant start = Instant.now();

            ChopsticksCluster cluster = client.resource(cluster(o)).create();
            ShardPlan plan = ShardPlan.compute(
                    cluster.getSpec().guilds(), cluster.getSpec().sharding());
            completeMigrationIfNeeded(client, o, cluster);
            waitFor(o.timeout(), "convergence", () -> converged(client, o, plan));
            Duration took = Duration.between(start, Instant.now());
            awaitQuiet(requests, Duration.ofSeconds(5), o.timeout());

            long total = requests.total() - startRequests;
            long writes = requests.writes() - startWrites;
            Map<String, Long> byMethod = new TreeMap<>();
            requests.snapshot().forEach((m, n) -> byMethod.put(m, n - startByMethod.getOrDefault(m, 0L)));
            long reconcilesToConverge = metrics.reconciles();
            long heapAfterGc = heapUsedAfterGc();
            long heapPeak = heapPeak();

            // a no-op reconcile: poke a watched input, count the operator's writes
            long reconciles = metrics.reconciles();
            long writesBefore = requests.writes();
            client.secrets().inNamespace(o.namespace()).withName("bench-db").edit(s -> {
                s.getMetadata().setLabels(Map.of("poke", Long.toString(System.nanoTime())));
                return s;
            });
            waitFor(Duration.ofMinutes(2), "no-op reconcile", () -> metrics.reconciles() > reconciles);
            awaitQuiet(requests, Duration.ofSeconds(3), Duration.ofMinutes(2));
            long noopWrites = requests.writes() - writesBefore;
            return new ConvergenceResult(
                    plan.shards(),
                    plan.pods(),
                    took,
                    total,
                    byMethod,
                    writes,
                    reconcilesToConverge,
                    heapAfterGc,
                    heapPeak,
                    noopWrites);
        } finally {
            if (!o.keep()) {
                client.resources(ChopsticksCluster.class)
                        .inNamespace(o.namespace())
                        .withName("bench")
                        .delete();
                client.namespaces().withName(o.namespace()).delete();
            }
        }
    }

    static ChopsticksCluster cluster(Options o) {
        long guilds = (long) o.shards() * ShardingSpec.DEFAULT_GUILDS_PER_SHARD;
        var spec = new ChopsticksClusterSpec(
                guilds,
                new ShardingSpec(null, o.shards(), o.shardsPerPod(), null, null),
                new BotSpec(
                        "ghcr.io/chopsticks/bot-runtime:bench",
                        new SecretKeyRef("bench-discord", "token"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                null,
                null,
                new PostgresSpec("bench-db", null),
                null,
                null);
        return new ChopsticksCluster(o.namespace(), "bench", spec);
    }

    static void prepareNamespace(KubernetesClient client, String ns) {
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .endMetadata()
                        .build())
                .serverSideApply();
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("bench-db")
                        .withNamespace(ns)
                        .endMetadata()
                        .withStringData(Map.of(
                                "host",
                                "postgres.invalid",
                                "port",
                                "5432",
                                "dbname",
                                "bench",
                                "user",
                                "bench",
                                "password",
                                "bench-password"))
                        .build())
                .serverSideApply();
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("bench-discord")
                        .withNamespace(ns)
                        .endMetadata()
                        .withStringData(Map.of("token", "bench-token"))
                        .build())
                .serverSideApply();
    }

    static void applyCrds(KubernetesClient client, Path dir) {
        for (CustomResourceDefinition crd : ApiServerFixtures.crds(client, dir)) {
            client.resource(crd).serverSideApply();
            String name = crd.getMetadata().getName();
            waitFor(Duration.ofSeconds(60), "CRD " + name, () -> ApiServerFixtures.established(client, name));
        }
    }

    static void completeMigrationIfNeeded(KubernetesClient client, Options o, ChopsticksCluster cluster) {
        if (o.completeMigration().equals("never")) {
            return;
        }
        String name = MigrationJob.name(cluster);
        waitFor(
                Duration.ofMinutes(2),
                "migration Job",
                () -> client.batch()
                                .v1()
                                .jobs()
                                .inNamespace(o.namespace())
                                .withName(name)
                                .get()
                        != null);
        if (o.completeMigration().equals("auto")) {
            Instant until = Instant.now().plusSeconds(20);
            while (Instant.now().isBefore(until)) {
                Job job = client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(o.namespace())
                        .withName(name)
                        .get();
                if (MigrationJob.state(job) == MigrationJob.State.SUCCEEDED) {
                    return;
                }
                sleep(500);
            }
            System.out.println(
                    "migration Job still running after 20 s: writing a succeeded status (no Job controller?)");
        }
        ApiServerFixtures.succeedJob(client, o.namespace(), name);
    }

    static boolean converged(KubernetesClient client, Options o, ShardPlan plan) {
        ChopsticksCluster c = client.resources(ChopsticksCluster.class)
                .inNamespace(o.namespace())
                .withName("bench")
                .get();
        if (c == null
                || c.getStatus() == null
                || c.getStatus().shards() == null
                || c.getStatus().shards() != plan.shards()
                || !c.getMetadata().getGeneration().equals(c.getStatus().observedGeneration())) {
            return false;
        }
        var sts = client.apps()
                .statefulSets()
                .inNamespace(o.namespace())
                .withName("bench-shards")
                .get();
        if (sts == null || sts.getSpec().getReplicas() != plan.pods()) {
            return false;
        }
        List<Shard> shards =
                client.resources(Shard.class).inNamespace(o.namespace()).list().getItems();
        return shards.size() == plan.shards()
                && shards.stream()
                        .allMatch(s -> s.getStatus() != null
                                && plan.label(s.getSpec().shardId())
                                        .equals(s.getStatus().shard()));
    }

    static void awaitQuiet(ApiRequestCounter requests, Duration quiet, Duration atMost) {
        long last = requests.writes();
        long since = System.nanoTime();
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            long now = requests.writes();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since >= quiet.toNanos()) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("operator kept writing for " + atMost);
    }

    static void waitFor(Duration atMost, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + atMost + " waiting for " + what);
            }
            sleep(1000);
        }
    }

    static long heapUsedAfterGc() {
        System.gc();
        sleep(500);
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long heapPeak() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong((MemoryPoolMXBean p) -> p.getPeakUsage().getUsed())
                .sum();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
