package dev.jpull.internal.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test certificates made with the {@code openssl} command line tool in a temporary directory: a CA, a
 * server certificate for 127.0.0.1 signed by it, a self-signed server certificate for another name, and
 * client certificates whose keys are stored as PKCS#8 RSA, PKCS#1 RSA and SEC1 EC.
 */
final class TestPki {
    static final String PASSWORD = "changeit";

    final Path dir;
    final Path caCert;
    final Path serverP12;
    final Path selfSignedP12;
    final Path clientRsaCert;
    final Path clientRsaPkcs8Key;
    final Path clientRsaPkcs1Key;
    final Path clientEcCert;
    final Path clientEcSec1Key;
    final Path clientEcPkcs8Key;

    TestPki(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        caCert = dir.resolve("ca.crt");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "2", "-subj", "/CN=jpull test CA");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=127.0.0.1");
        sign("server.csr", "server.crt", "server.ext");
        serverP12 = p12("server.crt", "server.key", "server.p12");

        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "self.key", "-out", "self.crt",
                "-days", "2", "-subj", "/CN=self-signed.invalid");
        selfSignedP12 = p12("self.crt", "self.key", "self.p12");

        clientRsaPkcs8Key = dir.resolve("client-rsa-pkcs8.key");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "client-rsa-pkcs8.key");
        clientRsaPkcs1Key = dir.resolve("client-rsa-pkcs1.key");
        openssl("rsa", "-in", "client-rsa-pkcs8.key", "-traditional", "-out", "client-rsa-pkcs1.key");
        openssl("req", "-new", "-key", "client-rsa-pkcs8.key", "-subj", "/CN=client-rsa", "-out", "client-rsa.csr");
        clientRsaCert = sign("client-rsa.csr", "client-rsa.crt", null);

        clientEcSec1Key = dir.resolve("client-ec-sec1.key");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "client-ec-sec1.key");
        clientEcPkcs8Key = dir.resolve("client-ec-pkcs8.key");
        openssl("pkey", "-in", "client-ec-sec1.key", "-out", "client-ec-pkcs8.key");
        openssl("req", "-new", "-key", "client-ec-sec1.key", "-subj", "/CN=client-ec", "-out", "client-ec.csr");
        clientEcCert = sign("client-ec.csr", "client-ec.crt", null);
    }

    private Path sign(String csr, String out, String extFile) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("x509", "-req", "-in", csr, "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-out", out));
        if (extFile != null) {
            args.addAll(List.of("-extfile", extFile));
        }
        openssl(args.toArray(new String[0]));
        return dir.resolve(out);
    }

    private Path p12(String cert, String key, String out) throws IOException, InterruptedException {
        openssl("pkcs12", "-export", "-in", cert, "-inkey", key, "-out", out, "-passout", "pass:" + PASSWORD);
        return dir.resolve(out);
    }

    void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
        }
    }
}
