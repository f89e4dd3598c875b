package dev.chopsticks.podrunner;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/** What a {@code resourceFieldRef} to an unset limit reads: the kubelet substitutes the node's allocatable. */
public record HostResources(long cpus, long memoryBytes) {
    public static HostResources ofThisMachine() {
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getTotalMemorySize()
                : Runtime.getRuntime().maxMemory();
        return new HostResources(Runtime.getRuntime().availableProcessors(), memory);
    }
}
