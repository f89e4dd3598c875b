package dev.chopsticks.bot.testinfra;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails fast with a useful message when the kube-api-test binaries are missing (kube-api-test would otherwise try to
 * download them). Register it before {@code @EnableKubeAPIServer}.
 */
public class KubeApiTestBinaries implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        String dir =
                System.getenv().getOrDefault("KUBE_API_TEST_DIR", System.getProperty("user.home") + "/.kubeapitest");
        String version = System.getenv("KUBE_API_TEST_API_SERVER_VERSION");
        if (version == null) {
            return;
        }
        Path bin = Path.of(dir, "k8s", version + "-linux-amd64");
        for (String b : new String[] {"etcd", "kube-apiserver", "kubectl"}) {
            if (!Files.isExecutable(bin.resolve(b))) {
                throw new IllegalStateException(
                        "kube-api-test binary " + bin.resolve(b) + " is missing: run hack/tools.sh");
            }
        }
    }
}
