package dev.chopsticks.operator.common;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceSpecBuilder;
import java.util.function.UnaryOperator;

/**
 * The Services in front of the operator's pods, all alike: they select one component's pods and expose one TCP port,
 * which targets the container port of the same name (so a port number lives in one place, {@link Ports}).
 */
public final class Services {
    private Services() {}

    /** A ClusterIP Service: one stable address for the component's clients. */
    public static Service clusterIp(
            ChopsticksCluster cluster, String name, Component component, String portName, int port) {
        return service(cluster, name, component, portName, port, spec -> spec.withType("ClusterIP"));
    }

    /** A headless Service: DNS names per pod, not-ready pods included (a starting shard is still scraped). */
    public static Service headless(
            ChopsticksCluster cluster, String name, Component component, String portName, int port) {
        return service(
                cluster,
                name,
                component,
                portName,
                port,
                spec -> spec.withClusterIP("None").withPublishNotReadyAddresses(true));
    }

    private static Service service(
            ChopsticksCluster cluster,
            String name,
            Component component,
            String portName,
            int port,
            UnaryOperator<ServiceSpecBuilder> kind) {
        ServiceSpecBuilder spec = new ServiceSpecBuilder()
                .withSelector(Labels.selector(cluster, component))
                .addNewPort()
                .withName(portName)
                .withPort(port)
                .withTargetPort(new IntOrString(portName))
                .withProtocol("TCP")
                .endPort();
        return new ServiceBuilder()
                .withMetadata(Metadata.of(cluster, name, component))
                .withSpec(kind.apply(spec).build())
                .build();
    }
}
