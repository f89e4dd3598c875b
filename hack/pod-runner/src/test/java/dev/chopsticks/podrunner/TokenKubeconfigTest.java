package dev.chopsticks.podrunner;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenKubeconfigTest {
    private static final String CA = Base64.getEncoder()
            .encodeToString(
                    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.UTF_8));
    private static final String TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2ln";

    @Test
    void fabric8ReadsServerCaTokenAndNamespaceBack() {
        String rendered = new TokenKubeconfig(
                        "https://127.0.0.1:26443/", CA, false, "system:serviceaccount:e2e:bot", TOKEN, "e2e")
                .render();

        Config config = Config.fromKubeconfig(rendered);

        assertThat(config.getMasterUrl()).isEqualTo("https://127.0.0.1:26443/");
        assertThat(config.getCaCertData()).isEqualTo(CA);
        // A kubeconfig's token is the "auto" one, re-read from the file when it changes.
        assertThat(config.getAutoOAuthToken()).isEqualTo(TOKEN);
        assertThat(config.getNamespace()).isEqualTo("e2e");
        assertThat(config.isTrustCerts()).isFalse();
        assertThat(config.getClientCertData()).isNull();
        assertThat(config.getClientKeyData()).isNull();
    }

    @Test
    void isOneClusterUserAndContextWhichIsCurrent() {
        var parsed = KubeConfigUtils.parseConfigFromString(
                new TokenKubeconfig("https://api:6443", CA, false, "system:serviceaccount:e2e:bot", TOKEN, "e2e")
                        .render());

        assertThat(parsed.getClusters()).hasSize(1);
        assertThat(parsed.getUsers()).singleElement().satisfies(u -> {
            assertThat(u.getName()).isEqualTo("system:serviceaccount:e2e:bot");
            assertThat(u.getUser().getToken()).isEqualTo(TOKEN);
        });
        assertThat(parsed.getContexts()).singleElement().satisfies(c -> {
            assertThat(c.getName()).isEqualTo(parsed.getCurrentContext());
            assertThat(c.getContext().getCluster())
                    .isEqualTo(parsed.getClusters().getFirst().getName());
            assertThat(c.getContext().getUser()).isEqualTo("system:serviceaccount:e2e:bot");
        });
    }

    @Test
    void withoutCaTheRunnersInsecureSettingCarriesOver() {
        Config config =
                Config.fromKubeconfig(new TokenKubeconfig("https://api:6443", null, true, "u", TOKEN, "ns").render());

        assertThat(config.getCaCertData()).isNull();
        assertThat(config.isTrustCerts()).isTrue();
    }

    @Test
    void stringsAreEscaped() {
        assertThat(TokenKubeconfig.json("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
        Config config = Config.fromKubeconfig(
                new TokenKubeconfig("https://api:6443", null, false, "u", "t\"ok\\en", "ns").render());
        assertThat(config.getAutoOAuthToken()).isEqualTo("t\"ok\\en");
    }

    @Test
    void toStringNeverShowsTheToken() {
        assertThat(new TokenKubeconfig("https://api:6443", CA, false, "u", TOKEN, "ns").toString())
                .doesNotContain(TOKEN)
                .contains("https://api:6443");
    }
}
