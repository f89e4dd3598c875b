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

/** One sharded Chopsticks bot deployment: the operator turns it into shards, PgBouncer, Redis and migrations. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Kind("ChopsticksCluster")
@Plural("chopsticksclusters")
@Singular("chopstickscluster")
@ShortNames("ccl")
@Categories("chopsticks")
@AdditionalPrinterColumn(name = "GUILDS", jsonPath = ".spec.guilds", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "SHARDS", jsonPath = ".status.shards", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.readyShards", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class ChopsticksCluster extends CustomResource<ChopsticksClusterSpec, ChopsticksClusterStatus>
        implements Namespaced {

    public ChopsticksCluster() {}

    @Override
    @JsonPropertyDescription(
            "Desired state: guilds, sharding, the bot image and token, PgBouncer, Redis, PostgreSQL and rollout policy.")
    public ChopsticksClusterSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Observed state, written by the operator only.")
    public ChopsticksClusterStatus getStatus() {
        return super.getStatus();
    }

    public ChopsticksCluster(String namespace, String name, ChopsticksClusterSpec spec) {
        getMetadata().setNamespace(namespace);
        getMetadata().setName(name);
        setSpec(spec);
    }
}
