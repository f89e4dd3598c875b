package dev.chopsticks.podrunner;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KubeClientsTest {
    @Test
    void recognisesPkcs8EcKeysOnly() throws Exception {
        assertThat(KubeClients.isPkcs8EcKey(pkcs8Pem("EC", 256))).isTrue();
        assertThat(KubeClients.isPkcs8EcKey(pkcs8Pem("RSA", 1024))).isFalse();
        assertThat(KubeClients.isPkcs8EcKey("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"))
                .as("SEC1 keys Fabric8 recognises by itself")
                .isFalse();
        assertThat(KubeClients.isPkcs8EcKey(null)).isFalse();
    }

    private static String pkcs8Pem(String algorithm, int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(bits);
        String body = Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }
}
