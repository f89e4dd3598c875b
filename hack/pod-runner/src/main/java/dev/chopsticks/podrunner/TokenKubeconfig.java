package dev.chopsticks.podrunner;

import java.util.Objects;

/**
 * A kubeconfig with one cluster, one bearer-token user and one context: what a process needs to reach the API
 * server as its Pod's ServiceAccount. Rendered as JSON, which is valid kubeconfig YAML and needs no YAML library.
 *
 * @param server the API server URL
 * @param certificateAuthorityData base64 of the PEM CA bundle the server's certificate chains to; null: none
 *     (the system trust store, or no verification at all with {@code insecureSkipTlsVerify})
 * @param insecureSkipTlsVerify the runner itself trusts any server certificate, so must the process
 * @param user the user entry's name, e.g. {@code system:serviceaccount:ns:sa} (a label; the token is the identity)
 * @param token the bearer token; never printed by {@link #toString()}
 * @param namespace the context's namespace, the Pod's own
 */
record TokenKubeconfig(
        String server,
        String certificateAuthorityData,
        boolean insecureSkipTlsVerify,
        String user,
        String token,
        String namespace) {

    private static final String NAME = "pod";

    TokenKubeconfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(namespace, "namespace");
    }

    /** The kubeconfig document; the context is named {@code pod} and is the current one. */
    String render() {
        StringBuilder cluster = new StringBuilder().append("{\"server\": ").append(json(server));
        if (certificateAuthorityData != null) {
            cluster.append(", \"certificate-authority-data\": ").append(json(certificateAuthorityData));
        }
        if (insecureSkipTlsVerify) {
            cluster.append(", \"insecure-skip-tls-verify\": true");
        }
        cluster.append('}');
        return "{\n"
                + "  \"apiVersion\": \"v1\",\n"
                + "  \"kind\": \"Config\",\n"
                + "  \"clusters\": [{\"name\": " + json(NAME) + ", \"cluster\": " + cluster + "}],\n"
                + "  \"users\": [{\"name\": " + json(user) + ", \"user\": {\"token\": " + json(token) + "}}],\n"
                + "  \"contexts\": [{\"name\": " + json(NAME) + ", \"context\": {\"cluster\": " + json(NAME)
                + ", \"user\": " + json(user) + ", \"namespace\": " + json(namespace) + "}}],\n"
                + "  \"current-context\": " + json(NAME) + "\n"
                + "}\n";
    }

    /** A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped. */
    static String json(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Without the token: a record's default toString would put it into any log line that prints this. */
    @Override
    public String toString() {
        return "TokenKubeconfig[server=" + server + ", user=" + user + ", namespace=" + namespace
                + ", token=<redacted>]";
    }
}
