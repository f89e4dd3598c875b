package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One Discord shard. The operator owns the spec and the pod side of the status; the bot process running the shard
 * reports the gateway side (phase, guilds, ping, heartbeat).
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Kind("Shard")
@Plural("shards")
@Singular("shard")
@ShortNames("shard")
@Categories("chopsticks")
@AdditionalPrinterColumn(name = "CLUSTER", jsonPath = ".spec.cluster", type = Type.STRING)
@AdditionalPrinterColumn(name = "SHARD", jsonPath = ".status.shard", type = Type.STRING)
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "GUILDS", jsonPath = ".status.guilds", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "PING", jsonPath = ".status.gatewayPingMs", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "POD", jsonPath = ".status.pod", type = Type.STRING)
@AdditionalPrinterColumn(name = "RESTARTS", jsonPath = ".status.restarts", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "SESSION", jsonPath = ".status.session", type = Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class Shard extends CustomResource<ShardSpec, ShardStatus> implements Namespaced {

    public Shard() {}

    @Override
    @JsonPropertyDescription("Which shard this is; written by the operator.")
    public ShardSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Observed state: pod side by the operator, gateway side by the bot running the shard.")
    public ShardStatus getStatus() {
        return super.getStatus();
    }

    public Shard(String namespace, String name, ShardSpec spec) {
        getMetadata().setNamespace(namespace);
        getMetadata().setName(name);
        setSpec(spec);
    }
}
