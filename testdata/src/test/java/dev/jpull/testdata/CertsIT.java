package dev.jpull.testdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsIT {

    private final Certs certs = Certs.get();

    @Test
    void keysUseTheAdvertisedPemFormats() throws Exception {
        assertThat(Files.readString(certs.clientKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(certs.clientRsa1Key())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(certs.clientEcKey())).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(Pem.pkcs8PrivateKey(certs.tokenKey()).getAlgorithm()).isEqualTo("RSA");
        assertThat(Pem.certificates(certs.clientEcCert()).get(0).getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(certs.skopeoMtlsDir().resolve("client.cert")).exists();
        assertThat(certs.skopeoMtlsDir().resolve("client.key")).exists();
        assertThat(certs.skopeoTlsDir().resolve("ca.crt")).hasSameTextualContentAs(certs.caCert());
    }

    @Test
    void serverAndClientCertsChainToTheCaButNotToTheWrongCa() throws Exception {
        X509Certificate ca = cert(certs.caCert());
        X509Certificate server = cert(certs.serverCert());
        assertThat(server.getSubjectAlternativeNames())
                .contains(List.of(7, "127.0.0.1"), List.of(2, "localhost"));
        for (Path p : List.of(certs.serverCert(), certs.clientCert(), certs.clientRsa1Cert(), certs.clientEcCert())) {
            cert(p).verify(ca.getPublicKey());
        }
        cert(certs.wrongServerCert()).verify(cert(certs.wrongCaCert()).getPublicKey());
        assertThatThrownBy(() -> cert(certs.wrongServerCert()).verify(ca.getPublicKey()))
                .isInstanceOf(SignatureException.class);
        X509Certificate token = cert(certs.tokenCert());
        token.verify(token.getPublicKey());
    }

    @Test
    void generationIsIdempotent(@TempDir Path dir) throws Exception {
        Certs first = Certs.generate(dir);
        byte[] ca = Files.readAllBytes(first.caCert());
        byte[] key = Files.readAllBytes(first.clientEcKey());
        Certs second = Certs.generate(dir);
        assertThat(Files.readAllBytes(second.caCert())).isEqualTo(ca);
        assertThat(Files.readAllBytes(second.clientEcKey())).isEqualTo(key);
        assertThat(Certs.get()).isSameAs(certs);
    }

    private static X509Certificate cert(Path p) {
        return Pem.certificates(p).get(0);
    }
}
