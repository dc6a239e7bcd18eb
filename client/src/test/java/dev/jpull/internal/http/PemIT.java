package dev.jpull.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.ConfigException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemIT {
    @TempDir
    static Path tmp;
    static TestPki pki;

    @BeforeAll
    static void setUp() throws Exception {
        pki = new TestPki(tmp);
    }

    @Test
    void pkcs1RsaKeyIsTheSameKeyAsItsPkcs8Form() throws Exception {
        assertThat(Files.readString(pki.clientRsaPkcs1Key)).contains("BEGIN RSA PRIVATE KEY");
        PrivateKey p1 = Pem.privateKey(pki.clientRsaPkcs1Key);
        PrivateKey p8 = Pem.privateKey(pki.clientRsaPkcs8Key);
        assertThat(p1).isInstanceOf(RSAPrivateCrtKey.class);
        assertThat(((RSAPrivateCrtKey) p1).getModulus()).isEqualTo(((RSAPrivateCrtKey) p8).getModulus());
        assertThat(((RSAPrivateCrtKey) p1).getPrivateExponent()).isEqualTo(((RSAPrivateCrtKey) p8).getPrivateExponent());
    }

    @Test
    void sec1EcKeyWithParametersBlockIsTheSameKeyAsItsPkcs8Form() throws Exception {
        String text = Files.readString(pki.clientEcSec1Key);
        assertThat(text).contains("BEGIN EC PARAMETERS").contains("BEGIN EC PRIVATE KEY");
        ECPrivateKey sec1 = (ECPrivateKey) Pem.privateKey(pki.clientEcSec1Key);
        ECPrivateKey p8 = (ECPrivateKey) Pem.privateKey(pki.clientEcPkcs8Key);
        assertThat(sec1.getS()).isEqualTo(p8.getS());
        assertThat(sec1.getParams().getOrder()).isEqualTo(p8.getParams().getOrder());
    }

    @Test
    void certificateFileWithSeveralCertificatesYieldsAll() throws Exception {
        Path bundle = tmp.resolve("bundle.pem");
        Files.writeString(bundle, Files.readString(pki.clientRsaCert) + "\n" + Files.readString(pki.caCert));
        assertThat(Pem.certificates(bundle)).hasSize(2)
                .extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=client-rsa", "CN=jpull test CA");
    }

    @Test
    void malformedPemNamesTheFile() throws Exception {
        Path bad = tmp.resolve("bad.pem");
        Files.writeString(bad, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> Pem.certificates(bad))
                .isInstanceOf(ConfigException.class).hasMessageContaining(bad.toString());
        Path badKey = tmp.resolve("bad.key");
        Files.writeString(badKey, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Pem.privateKey(badKey))
                .isInstanceOf(ConfigException.class).hasMessageContaining(badKey.toString());
    }

    @Test
    void fileWithoutPemDataOrMissingNamesTheFile() throws Exception {
        Path empty = tmp.resolve("empty.pem");
        Files.writeString(empty, "hello\n");
        assertThatThrownBy(() -> Pem.certificates(empty))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not PEM: no PEM data in " + empty);
        Path missing = tmp.resolve("missing.pem");
        assertThatThrownBy(() -> Pem.privateKey(missing))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read " + missing);
        // a certificate file given as key
        assertThatThrownBy(() -> Pem.privateKey(pki.caCert))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no PEM private key found in " + pki.caCert);
    }

    @Test
    void encryptedKeyIsRefusedWithAClearMessage() throws Exception {
        pki.openssl("pkcs8", "-topk8", "-in", "client-rsa-pkcs8.key", "-out", "enc.key", "-passout", "pass:pw");
        Path enc = tmp.resolve("enc.key");
        assertThatThrownBy(() -> Pem.privateKey(enc))
                .isInstanceOf(ConfigException.class).hasMessageContaining("encrypted private key in " + enc);
    }

    @Test
    void derLengthsAboveOneByteRoundTrip() {
        byte[] content = new byte[300];
        byte[] encoded = Der.tlv(Der.OCTET_STRING, content);
        assertThat(encoded).startsWith(0x04, 0x82, 0x01, 0x2C);
        Der.Tlv tlv = Der.read(encoded, 0, encoded.length);
        assertThat(tlv.tag()).isEqualTo(Der.OCTET_STRING);
        assertThat(tlv.content()).hasSize(300);
        assertThat(tlv.encoded()).isEqualTo(encoded);
        assertThatThrownBy(() -> Der.read(encoded, 0, encoded.length - 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
