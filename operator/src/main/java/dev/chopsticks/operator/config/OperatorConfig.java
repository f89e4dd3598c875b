package dev.chopsticks.operator.config;

import dev.chopsticks.api.v1alpha1.Durations;
import dev.chopsticks.api.v1alpha1.SchemaLimits;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's configuration, from environment variables only. Parsing is pure (a map in, a record out) and
 * fails with an {@link OperatorConfigException} that names the variable.
 *
 * @param watchNamespaces namespaces to watch; empty means all namespaces
 * @param httpPort port of /healthz, /readyz and /metrics (0 picks a free port)
 * @param leaderElection whether to elect a leader through a Lease
 * @param leaseName the Lease's name
 * @param leaseNamespace the Lease's namespace if set explicitly (else POD_NAMESPACE, the in-cluster namespace or
 *     the kubeconfig's namespace, resolved at start-up)
 * @param identity this replica's leader-election identity (POD_NAME, else the host name)
 * @param reconcileThreads concurrent reconciles
 * @param resyncInterval maximum time between two reconciles of a cluster
 * @param maxPlannedShards the most shards one cluster may plan; a cluster planning more is Degraded and nothing is
 *     created for it (the CRD allows at most {@link SchemaLimits#MAX_SHARDS}; this holds also under an older or
 *     looser CRD, and can be set lower)
 */
public record OperatorConfig(
        Set<String> watchNamespaces,
        int httpPort,
        boolean leaderElection,
        String leaseName,
        Optional<String> leaseNamespace,
        Optional<String> identity,
        int reconcileThreads,
        Duration resyncInterval,
        int maxPlannedShards) {

    public static final String WATCH_NAMESPACES = "WATCH_NAMESPACES";
    public static final String OPERATOR_HTTP_PORT = "OPERATOR_HTTP_PORT";
    public static final String LEADER_ELECTION_ENABLED = "LEADER_ELECTION_ENABLED";
    public static final String LEADER_ELECTION_LEASE_NAME = "LEADER_ELECTION_LEASE_NAME";
    public static final String LEADER_ELECTION_NAMESPACE = "LEADER_ELECTION_NAMESPACE";
    public static final String POD_NAMESPACE = "POD_NAMESPACE";
    public static final String POD_NAME = "POD_NAME";
    public static final String RECONCILE_THREADS = "RECONCILE_THREADS";
    public static final String RESYNC_INTERVAL = "RESYNC_INTERVAL";
    public static final String LOG_FORMAT = "LOG_FORMAT";
    public static final String LOG_LEVEL = "LOG_LEVEL";
    public static final String MAX_PLANNED_SHARDS = "MAX_PLANNED_SHARDS";
    /** Far above any real bot; a plan this size still fits the operator's heap many times over. */
    static final int MAX_PLANNED_SHARDS_CEILING = 100_000;

    /** With the default shard limit ({@link SchemaLimits#MAX_SHARDS}). */
    public OperatorConfig(
            Set<String> watchNamespaces,
            int httpPort,
            boolean leaderElection,
            String leaseName,
            Optional<String> leaseNamespace,
            Optional<String> identity,
            int reconcileThreads,
            Duration resyncInterval) {
        this(
                watchNamespaces,
                httpPort,
                leaderElection,
                leaseName,
                leaseNamespace,
                identity,
                reconcileThreads,
                resyncInterval,
                SchemaLimits.MAX_SHARDS);
    }

    private static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    public static OperatorConfig fromEnv(Map<String, String> env) {
        Set<String> namespaces = new LinkedHashSet<>();
        String raw = trimmed(env, WATCH_NAMESPACES).orElse("");
        for (String ns : raw.split(",")) {
            String n = ns.trim();
            if (n.isEmpty()) {
                continue;
            }
            if (!n.matches(DNS_LABEL) || n.length() > 63) {
                throw new OperatorConfigException(
                        WATCH_NAMESPACES,
                        "must be a comma-separated list of namespace names (empty for all namespaces), got '" + n
                                + "'");
            }
            namespaces.add(n);
        }
        int port = integer(env, OPERATOR_HTTP_PORT, 8080, 0, 65_535);
        boolean election = bool(env, LEADER_ELECTION_ENABLED, true);
        String lease = trimmed(env, LEADER_ELECTION_LEASE_NAME).orElse("chopsticks-operator");
        if (!lease.matches(DNS_LABEL)) {
            throw new OperatorConfigException(LEADER_ELECTION_LEASE_NAME, "must be a DNS label, got '" + lease + "'");
        }
        Optional<String> leaseNs = trimmed(env, LEADER_ELECTION_NAMESPACE).or(() -> trimmed(env, POD_NAMESPACE));
        if (leaseNs.isPresent() && !leaseNs.get().matches(DNS_LABEL)) {
            throw new OperatorConfigException(
                    LEADER_ELECTION_NAMESPACE, "must be a namespace name, got '" + leaseNs.get() + "'");
        }
        Optional<String> identity = trimmed(env, POD_NAME).or(() -> trimmed(env, "HOSTNAME"));
        int threads = integer(env, RECONCILE_THREADS, 5, 1, 100);
        Duration resync;
        String resyncRaw = trimmed(env, RESYNC_INTERVAL).orElse("10m");
        try {
            resync = Durations.parse(resyncRaw);
        } catch (IllegalArgumentException e) {
            throw new OperatorConfigException(
                    RESYNC_INTERVAL, "must be a duration such as 30s, 10m or 1h, got '" + resyncRaw + "'");
        }
        if (resync.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new OperatorConfigException(RESYNC_INTERVAL, "must be at least 10s, got '" + resyncRaw + "'");
        }
        String format = trimmed(env, LOG_FORMAT).orElse("json");
        if (!format.equals("json") && !format.equals("text")) {
            throw new OperatorConfigException(LOG_FORMAT, "must be json or text (lower case), got '" + format + "'");
        }
        String level = trimmed(env, LOG_LEVEL).orElse("INFO").toUpperCase(Locale.ROOT);
        if (!Arrays.asList("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(level)) {
            throw new OperatorConfigException(
                    LOG_LEVEL, "must be one of TRACE, DEBUG, INFO, WARN, ERROR, got '" + level + "'");
        }
        int maxShards = integer(env, MAX_PLANNED_SHARDS, SchemaLimits.MAX_SHARDS, 1, MAX_PLANNED_SHARDS_CEILING);
        return new OperatorConfig(
                Set.copyOf(namespaces), port, election, lease, leaseNs, identity, threads, resync, maxShards);
    }

    /** Defaults suited to tests: all namespaces, ephemeral port, no leader election. */
    public static OperatorConfig forTests() {
        return new OperatorConfig(
                Set.of(),
                0,
                false,
                "chopsticks-operator",
                Optional.empty(),
                Optional.of("test"),
                2,
                Duration.ofMinutes(10));
    }

    public OperatorConfig withMaxPlannedShards(int max) {
        return new OperatorConfig(
                watchNamespaces,
                httpPort,
                leaderElection,
                leaseName,
                leaseNamespace,
                identity,
                reconcileThreads,
                resyncInterval,
                max);
    }

    public boolean watchesAllNamespaces() {
        return watchNamespaces.isEmpty();
    }

    private static Optional<String> trimmed(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static int integer(Map<String, String> env, String name, int def, int min, int max) {
        Optional<String> raw = trimmed(env, name);
        if (raw.isEmpty()) {
            return def;
        }
        try {
            int v = Integer.parseInt(raw.get());
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new OperatorConfigException(
                    name, "must be an integer from " + min + " to " + max + ", got '" + raw.get() + "'");
        }
    }

    private static boolean bool(Map<String, String> env, String name, boolean def) {
        Optional<String> raw = trimmed(env, name);
        if (raw.isEmpty()) {
            return def;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new OperatorConfigException(name, "must be true or false, got '" + raw.get() + "'");
        };
    }
}
