package dev.chopsticks.operator.pgbouncer;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.ClusterInputs;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.PostgresConnection;
import dev.chopsticks.operator.common.UpdatableClusterDependent;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * PgBouncer's credentials, derived from the PostgreSQL connection Secret (keys host, port, dbname, user,
 * password): {@code databases.ini} and {@code userlist.txt}. Follows the source Secret: a rotated password is
 * re-derived (and the Deployment's auth-hash annotation rolls PgBouncer).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SELECT_PGBOUNCER))
public class PgBouncerAuthSecret extends UpdatableClusterDependent<Secret> {

    public PgBouncerAuthSecret() {
        super(Secret.class);
    }

    @Override
    protected String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return Names.pgbouncerAuth(cluster);
    }

    @Override
    protected Secret desired(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return desired(cluster, ClusterInputs.from(context).requirePostgres());
    }

    public static Secret desired(ChopsticksCluster cluster, PostgresConnection pg) {
        Map<String, String> data = new TreeMap<>();
        data.put(PgBouncerIni.DATABASES, b64(PgBouncerIni.databases(pg)));
        data.put(PgBouncerIni.CONSOLE, b64(PgBouncerIni.console(pg)));
        data.put(PgBouncerIni.USERLIST, b64(PgBouncerIni.userlist(pg)));
        return new SecretBuilder()
                .withMetadata(Metadata.of(cluster, Names.pgbouncerAuth(cluster), Component.PGBOUNCER))
                .withType("Opaque")
                .withData(data)
                .build();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
