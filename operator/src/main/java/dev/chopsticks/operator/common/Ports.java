package dev.chopsticks.operator.common;

/**
 * The TCP ports of the pods the operator runs, shared by their containers, Services and NetworkPolicies (kept here,
 * not with one component, so that none of them has to depend on another for a number).
 */
public final class Ports {
    /** The bot image's HTTP server (health, readiness, metrics; the dashboard's UI). */
    public static final int HTTP = 8080;

    public static final int PGBOUNCER = 5432;
    public static final int REDIS = 6379;

    private Ports() {}
}
