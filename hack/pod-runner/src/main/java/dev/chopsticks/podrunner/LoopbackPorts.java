package dev.chopsticks.podrunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loopback ports for the processes. A Pod name keeps its port across restarts and recreations while the port is
 * free (a StatefulSet Pod keeps its DNS name; tests can keep their URL); otherwise it gets a new free one.
 */
final class LoopbackPorts {
    private final Map<String, Integer> byPod = new ConcurrentHashMap<>();

    int portFor(String podName) {
        return byPod.compute(podName, (name, old) -> old != null && free(old) ? old : unassigned());
    }

    /** A free port no other Pod holds (its process may be between restarts, so not listening right now). */
    private int unassigned() {
        for (int i = 0; i < 50; i++) {
            int port = anyFree();
            if (!byPod.containsValue(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no unassigned loopback port");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
