package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Clients for the simulated cluster. Its kubeconfig carries ECDSA client keys in PKCS#8 PEM
 * ({@code BEGIN PRIVATE KEY}), which Fabric8 7.5 takes for RSA (it only recognises {@code BEGIN EC PRIVATE KEY})
 * and fails on with "Invalid DER: object is not integer"; we detect EC keys and say so in the Config.
 */
public final class KubeClients {
    private KubeClients() {}

    /** A client from {@code $KUBECONFIG} (or the {@code kubeconfig} system property, or ~/.kube/config). */
    public static KubernetesClient fromEnvironment() {
        Config config = Config.autoConfigure(null);
        if (isPkcs8EcKey(keyPem(config))) {
            config.setClientKeyAlgo("EC");
        }
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    static boolean isPkcs8EcKey(String pem) {
        if (pem == null || !pem.contains("-----BEGIN PRIVATE KEY-----")) {
            return false;
        }
        String body = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27);
        body = body.substring(0, Math.max(0, body.indexOf("-----END"))).replaceAll("\\s", "");
        try {
            KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String keyPem(Config config) {
        try {
            if (config.getClientKeyData() != null) {
                return new String(
                        Base64.getDecoder().decode(config.getClientKeyData().trim()), StandardCharsets.UTF_8);
            }
            if (config.getClientKeyFile() != null) {
                return Files.readString(Path.of(config.getClientKeyFile()));
            }
        } catch (IOException | IllegalArgumentException e) {
            // Not a key we can read: leave the algorithm to Fabric8.
        }
        return null;
    }
}
