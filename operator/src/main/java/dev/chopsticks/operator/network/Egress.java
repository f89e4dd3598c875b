package dev.chopsticks.operator.network;

import dev.chopsticks.api.v1alpha1.BotSpec;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.RedisMode;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Ports;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * The egress the cluster's pods need, rule by rule. Where the destination is a pod of this cluster (PgBouncer, the
 * managed Redis) the rule names it; where it is outside the cluster's pods (Discord, the API server, an external
 * PostgreSQL or Redis, DNS) only the port is known, so the rule allows that port to any address: Discord's addresses
 * are not published, and the API server's are not known to the operator.
 */
final class Egress {
    static final int DNS = 53;
    static final int HTTPS = 443;
    /** The API server's usual endpoint port (the {@code kubernetes} Service's 443 is translated to it). */
    static final int API_SERVER = 6443;

    private Egress() {}

    static NetworkPolicyEgressRule dns() {
        return new NetworkPolicyEgressRuleBuilder()
                .withPorts(port("UDP", DNS), port("TCP", DNS))
                .build();
    }

    /** Discord (HTTPS and the gateway's WSS, or the overrides' ports) and the API server. */
    static NetworkPolicyEgressRule discordAndApiServer(BotSpec bot) {
        TreeSet<Integer> ports = new TreeSet<>(List.of(HTTPS, API_SERVER));
        portOf(bot.gatewayUrl()).ifPresent(ports::add);
        portOf(bot.apiBaseUrl()).ifPresent(ports::add);
        return anywhere(ports);
    }

    static NetworkPolicyEgressRule apiServer() {
        return anywhere(new TreeSet<>(List.of(HTTPS, API_SERVER)));
    }

    /** PgBouncer's pods, or PostgreSQL itself (any address, its port) when PgBouncer is off. */
    static NetworkPolicyEgressRule database(ChopsticksCluster cluster, int postgresPort) {
        if (cluster.getSpec().pgbouncer().enabled()) {
            return toPods(cluster, Component.PGBOUNCER, Ports.PGBOUNCER);
        }
        return postgres(postgresPort);
    }

    /** PostgreSQL directly (the migrations always connect there). */
    static NetworkPolicyEgressRule postgres(int postgresPort) {
        return anywhere(new TreeSet<>(List.of(postgresPort)));
    }

    /**
     * The managed Redis' pods; for an external Redis the cluster nodes' ports, or any port when only a URL Secret
     * names it (the operator does not read the URL).
     */
    static NetworkPolicyEgressRule redis(ChopsticksCluster cluster) {
        ChopsticksClusterSpec spec = cluster.getSpec();
        if (spec.redis().mode() != RedisMode.EXTERNAL) {
            return toPods(cluster, Component.REDIS, Ports.REDIS);
        }
        TreeSet<Integer> ports = new TreeSet<>();
        List<String> nodes = spec.redis().external() == null
                ? List.of()
                : spec.redis().external().clusterNodes();
        if (nodes != null) {
            for (String node : nodes) {
                ports.add(Integer.parseInt(node.substring(node.lastIndexOf(':') + 1)));
            }
        }
        if (ports.isEmpty()
                || (spec.redis().external() != null && spec.redis().external().urlSecretRef() != null)) {
            return new NetworkPolicyEgressRuleBuilder()
                    .withPorts(
                            new NetworkPolicyPortBuilder().withProtocol("TCP").build())
                    .build();
        }
        return anywhere(ports);
    }

    /** The ops port of this cluster's shard pods (the dashboard's calls to them). */
    static NetworkPolicyEgressRule shardPods(ChopsticksCluster cluster) {
        return toPods(cluster, Component.SHARD, Ports.HTTP);
    }

    private static NetworkPolicyEgressRule toPods(ChopsticksCluster cluster, Component component, int port) {
        return new NetworkPolicyEgressRuleBuilder()
                .withTo(new NetworkPolicyPeerBuilder()
                        .withPodSelector(new LabelSelectorBuilder()
                                .withMatchLabels(Labels.selector(cluster, component))
                                .build())
                        .build())
                .withPorts(port("TCP", port))
                .build();
    }

    private static NetworkPolicyEgressRule anywhere(TreeSet<Integer> ports) {
        List<NetworkPolicyPort> out = new ArrayList<>();
        ports.forEach(p -> out.add(port("TCP", p)));
        return new NetworkPolicyEgressRuleBuilder().withPorts(out).build();
    }

    private static NetworkPolicyPort port(String protocol, int port) {
        return new NetworkPolicyPortBuilder()
                .withProtocol(protocol)
                .withPort(new IntOrString(port))
                .build();
    }

    /** The port of a ws(s):// or http(s):// URL, explicit or the scheme's default. */
    static OptionalInt portOf(String url) {
        if (url == null || url.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            URI uri = URI.create(url);
            if (uri.getPort() > 0) {
                return OptionalInt.of(uri.getPort());
            }
            return switch (String.valueOf(uri.getScheme())) {
                case "ws", "http" -> OptionalInt.of(80);
                case "wss", "https" -> OptionalInt.of(443);
                default -> OptionalInt.empty();
            };
        } catch (IllegalArgumentException e) {
            return OptionalInt.empty();
        }
    }
}
