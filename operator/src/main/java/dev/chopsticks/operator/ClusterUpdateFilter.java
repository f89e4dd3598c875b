package dev.chopsticks.operator;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Cluster updates worth a reconcile: a spec change (generation), an annotation change (the control annotations
 * {@code chopsticks.dev/pause-reconcile} and {@code chopsticks.dev/restart-at} live in metadata, which does not bump
 * the generation), or deletion. The operator's own status writes are not.
 */
public class ClusterUpdateFilter implements OnUpdateFilter<ChopsticksCluster> {
    @Override
    public boolean accept(ChopsticksCluster newCluster, ChopsticksCluster oldCluster) {
        var n = newCluster.getMetadata();
        var o = oldCluster.getMetadata();
        return !Objects.equals(n.getGeneration(), o.getGeneration())
                || !Objects.equals(n.getAnnotations(), o.getAnnotations())
                || !Objects.equals(n.getDeletionTimestamp(), o.getDeletionTimestamp());
    }
}
