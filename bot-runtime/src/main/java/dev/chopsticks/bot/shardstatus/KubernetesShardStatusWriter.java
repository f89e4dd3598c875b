package dev.chopsticks.bot.shardstatus;

import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-side apply on {@code shards/<prefix><id>/status} (prefix {@code <cluster>-} in generation 1) with the bot's
 * own field manager, sending only the bot's fields: the operator's {@code shard}, {@code pod}, {@code restarts} and conditions stay untouched.
 */
public final class KubernetesShardStatusWriter implements ShardStatusWriter {
    private static final Logger log = LoggerFactory.getLogger(KubernetesShardStatusWriter.class);

    public static final String FIELD_MANAGER = "chopsticks-bot";
    private static final PatchContext APPLY = new PatchContext.Builder()
            .withPatchType(PatchType.SERVER_SIDE_APPLY)
            .withFieldManager(FIELD_MANAGER)
            .withForce(true)
            .build();

    private final String namespace;
    private final String namePrefix;
    private final Supplier<KubernetesClient> clientFactory;
    private KubernetesClient client;

    /**
     * @param namePrefix Shard objects are {@code <namePrefix><shardId>} ({@code <cluster>-}, or the generation's
     *                   prefix the operator passes as SHARD_NAME_PREFIX)
     * @param client     asked on the first write (see {@link LazyKubernetesClient}); its owner closes it
     */
    public KubernetesShardStatusWriter(String namespace, String namePrefix, Supplier<KubernetesClient> client) {
        this.namespace = namespace;
        this.namePrefix = namePrefix;
        this.clientFactory = client;
    }

    /** With a given client (tests); the caller closes it. */
    public KubernetesShardStatusWriter(String namespace, String namePrefix, KubernetesClient client) {
        this(namespace, namePrefix, () -> client);
    }

    public String shardName(int shardId) {
        return namePrefix + shardId;
    }

    static ShardStatus status(ShardReport r) {
        return new ShardStatus(
                null,
                r.phase(),
                r.guilds(),
                r.gatewayPingMs() < 0 ? null : r.gatewayPingMs(),
                null,
                null,
                r.sessionStartedAt() == null ? null : r.sessionStartedAt().toString(),
                r.lastHeartbeat() == null ? null : r.lastHeartbeat().toString(),
                r.message(),
                null,
                r.identifyRemaining(),
                r.identifyTotal(),
                r.session());
    }

    @Override
    public synchronized void write(int shardId, ShardReport report) {
        if (client == null) {
            client = clientFactory.get();
        }
        Shard patch = new Shard(namespace, shardName(shardId), null);
        patch.setStatus(status(report));
        try {
            client.resource(patch).subresource("status").patch(APPLY);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                // The operator creates Shard objects; until it has, there is nothing to report to.
                log.debug("Shard {} not found, status not written", shardName(shardId));
                return;
            }
            throw e;
        }
    }
}
