package dev.chopsticks.bot.testinfra;

import static org.awaitility.Awaitility.await;

import dev.chopsticks.testinfra.OsProcess;
import dev.chopsticks.testinfra.RedisProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A real 3-master Redis Cluster (no replicas) on loopback, joined with redis-cli --cluster create. */
public final class RedisCluster implements AutoCloseable {
    private final List<RedisProcess> nodes;

    private RedisCluster(List<RedisProcess> nodes) {
        this.nodes = nodes;
    }

    public static RedisCluster start() {
        List<RedisProcess> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            nodes.add(RedisProcess.startClusterNode());
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        OsProcess.run(create);
        RedisCluster cluster = new RedisCluster(nodes);
        await("cluster state ok")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> nodes.stream().allMatch(n -> clusterInfo(n.port()).contains("cluster_state:ok")));
        return cluster;
    }

    private static String clusterInfo(int port) {
        try {
            Process p = new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "cluster", "info")
                    .redirectErrorStream(true)
                    .start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.getInputStream().transferTo(out);
            p.waitFor(5, TimeUnit.SECONDS);
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The REDIS_CLUSTER_NODES value. */
    public String nodesEnv() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        nodes.forEach(RedisProcess::close);
    }
}
