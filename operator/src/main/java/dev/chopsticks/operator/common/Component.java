package dev.chopsticks.operator.common;

/** The parts of a Chopsticks cluster, as written in {@code app.kubernetes.io/component}. */
public enum Component {
    SHARD("shard"),
    REDIS("redis"),
    PGBOUNCER("pgbouncer"),
    MIGRATIONS("migrations"),
    DASHBOARD("dashboard"),
    BOT_RBAC("bot-rbac");

    private final String label;

    Component(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
