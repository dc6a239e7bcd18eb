package dev.jpull.testdata;

/** Renders the docker-registry 2.8 config.yml for a {@link RegistryFixture}. */
final class RegistryConfig {

    private RegistryConfig() {
    }

    static String yaml(RegistryFixture f) {
        StringBuilder y = new StringBuilder();
        y.append("version: 0.1\n");
        y.append("log:\n  level: error\n  accesslog:\n    disabled: true\n");
        y.append("storage:\n");
        y.append("  filesystem:\n    rootdirectory: ").append(q(f.storageDir().toString())).append('\n');
        y.append("  delete:\n    enabled: true\n");
        y.append("  maintenance:\n    uploadpurging:\n      enabled: false\n");
        y.append("http:\n");
        y.append("  addr: 127.0.0.1:").append(f.port()).append('\n');
        y.append("  secret: jpull-test-http-secret\n");
        Certs c = f.certs();
        if (f.tls()) {
            y.append("  tls:\n");
            y.append("    certificate: ").append(q(c.serverCert().toString())).append('\n');
            y.append("    key: ").append(q(c.serverKey().toString())).append('\n');
            if (f.mode() == RegistryFixture.Mode.MTLS_BASIC) {
                y.append("    clientcas:\n      - ").append(q(c.caCert().toString())).append('\n');
            }
        }
        switch (f.mode()) {
            case BASIC_AUTH, MTLS_BASIC -> {
                y.append("auth:\n  htpasswd:\n    realm: jpull-test-registry\n");
                y.append("    path: ").append(q(f.htpasswdFile().toString())).append('\n');
            }
            case TOKEN -> {
                TokenServer ts = f.tokenServer();
                y.append("auth:\n  token:\n");
                y.append("    realm: ").append(q(ts.realm())).append('\n');
                y.append("    service: ").append(TokenServer.SERVICE).append('\n');
                y.append("    issuer: ").append(TokenServer.ISSUER).append('\n');
                y.append("    rootcertbundle: ").append(q(c.tokenCert().toString())).append('\n');
            }
            default -> {
                // no auth
            }
        }
        return y.toString();
    }

    private static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
