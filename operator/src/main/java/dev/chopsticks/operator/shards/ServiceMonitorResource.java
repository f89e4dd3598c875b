package dev.chopsticks.operator.shards;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Prometheus Operator ServiceMonitor as an untyped resource (spec is a plain map; the operator carries no
 * model of the Prometheus Operator) whose group, version and plural are known without asking the API server.
 * A bare GVK-based GenericKubernetesResource informer needs API discovery just to be constructed, and JOSDK
 * constructs it even while the activation condition is false, which fails every reconcile where the CRD is
 * absent.
 */
@Group(ShardServiceMonitor.GROUP)
@Version(ShardServiceMonitor.VERSION)
@Kind(ShardServiceMonitor.KIND)
@Plural("servicemonitors")
@Singular("servicemonitor")
public class ServiceMonitorResource extends GenericKubernetesResource implements Namespaced {}
