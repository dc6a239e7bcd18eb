package dev.jpull.testdata;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Test PKI produced by {@code gen-certs.sh} (shipped in this jar). {@link #get()} generates it once per
 * JVM into a temporary directory that is deleted on exit; {@link #generate(Path)} targets a chosen
 * directory. All files are PEM; see the script header for the full list.
 */
public final class Certs {

    private static final String SCRIPT_RESOURCE = "/dev/jpull/testdata/gen-certs.sh";
    private static Certs shared;

    private final Path dir;

    private Certs(Path dir) {
        this.dir = dir;
    }

    /** The JVM-wide certificate set, generated on first use. */
    public static synchronized Certs get() {
        if (shared == null) {
            try {
                Path tmp = Files.createTempDirectory("jpull-certs-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> Procs.deleteTree(tmp)));
                shared = generate(tmp);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** Runs gen-certs.sh into {@code outDir} (idempotent: an existing complete set is kept). */
    public static Certs generate(Path outDir) {
        Path script = extractScript();
        try {
            Procs.Result r = Procs.run(List.of("bash", script.toString(), outDir.toString()), Map.of(),
                    Procs.DEFAULT_TIMEOUT, "gen-certs.sh");
            if (r.exitCode() != 0) {
                throw new IllegalStateException("gen-certs.sh failed (exit " + r.exitCode() + "): "
                        + Procs.tail(r.stderr(), 2000));
            }
        } finally {
            Procs.deleteTree(script.getParent());
        }
        return new Certs(outDir);
    }

    private static Path extractScript() {
        try {
            Path tmp = Files.createTempDirectory("jpull-gencerts-");
            Path script = tmp.resolve("gen-certs.sh");
            try (InputStream in = Certs.class.getResourceAsStream(SCRIPT_RESOURCE)) {
                if (in != null) {
                    Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
                    return script;
                }
            }
            for (Path candidate : List.of(Path.of("gen-certs.sh"), Path.of("testdata", "gen-certs.sh"),
                    Path.of("..", "testdata", "gen-certs.sh"))) {
                if (Files.isRegularFile(candidate)) {
                    Files.copy(candidate, script, StandardCopyOption.REPLACE_EXISTING);
                    return script;
                }
            }
            throw new IllegalStateException("gen-certs.sh not found on the classpath or in testdata/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Directory holding all files. */
    public Path dir() { return dir; }
    /** Test CA certificate. */
    public Path caCert() { return dir.resolve("ca.pem"); }
    /** Test CA key. */
    public Path caKey() { return dir.resolve("ca-key.pem"); }
    /** Server certificate (SAN IP:127.0.0.1, DNS:localhost) signed by the CA. */
    public Path serverCert() { return dir.resolve("server.pem"); }
    /** Server key (PKCS#8). */
    public Path serverKey() { return dir.resolve("server-key.pem"); }
    /** RSA client certificate signed by the CA. */
    public Path clientCert() { return dir.resolve("client.pem"); }
    /** RSA client key in PKCS#8 ("BEGIN PRIVATE KEY"). */
    public Path clientKey() { return dir.resolve("client-key.pem"); }
    /** Second RSA client certificate signed by the CA. */
    public Path clientRsa1Cert() { return dir.resolve("client-rsa1.pem"); }
    /** Its key in PKCS#1 ("BEGIN RSA PRIVATE KEY"). */
    public Path clientRsa1Key() { return dir.resolve("client-rsa1-key.pem"); }
    /** EC P-256 client certificate signed by the CA. */
    public Path clientEcCert() { return dir.resolve("client-ec.pem"); }
    /** Its key in SEC1 ("BEGIN EC PRIVATE KEY"). */
    public Path clientEcKey() { return dir.resolve("client-ec-key.pem"); }
    /** An unrelated CA (negative tests). */
    public Path wrongCaCert() { return dir.resolve("wrong-ca.pem"); }
    /** Server certificate with the right SANs but signed by the wrong CA. */
    public Path wrongServerCert() { return dir.resolve("wrong-server.pem"); }
    /** Key of {@link #wrongServerCert()}. */
    public Path wrongServerKey() { return dir.resolve("wrong-server-key.pem"); }
    /** Self-signed token-signing certificate (the registry's rootcertbundle in TOKEN mode). */
    public Path tokenCert() { return dir.resolve("token.pem"); }
    /** Token-signing RSA key (PKCS#8). */
    public Path tokenKey() { return dir.resolve("token-key.pem"); }
    /** skopeo --cert-dir that trusts the CA ({@code ca.crt}). */
    public Path skopeoTlsDir() { return dir.resolve("skopeo-tls"); }
    /** skopeo --cert-dir with the CA plus {@code client.cert}/{@code client.key}. */
    public Path skopeoMtlsDir() { return dir.resolve("skopeo-mtls"); }

    /** SSLContext trusting the test CA, optionally presenting the PKCS#8 RSA client certificate. */
    public SSLContext sslContext(boolean withClientCert) {
        return withClientCert ? Pem.sslContext(caCert(), clientCert(), clientKey())
                : Pem.sslContext(caCert(), null, null);
    }
}
