package dev.jpull.testdata;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Minimal PEM reading (certificates and PKCS#8 keys) and SSLContext building for tests. */
public final class Pem {

    private Pem() {
    }

    /** All certificates in a PEM file. */
    public static List<X509Certificate> certificates(Path pem) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (byte[] der : blocks(pem, "CERTIFICATE")) {
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("bad certificate in " + pem, e);
        }
    }

    /** A PKCS#8 ("BEGIN PRIVATE KEY") RSA or EC private key. */
    public static PrivateKey pkcs8PrivateKey(Path pem) {
        List<byte[]> keys = blocks(pem, "PRIVATE KEY");
        if (keys.isEmpty()) {
            throw new IllegalStateException("no PKCS#8 private key in " + pem);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.get(0));
        for (String alg : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalStateException("unsupported private key in " + pem);
    }

    /**
     * An SSLContext trusting the certificates in {@code caPem}; when {@code certPem} and {@code keyPem}
     * are non-null it also presents that client certificate (key must be PKCS#8).
     */
    public static SSLContext sslContext(Path caPem, Path certPem, Path keyPem) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate c : certificates(caPem)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (certPem != null && keyPem != null) {
                char[] pw = "changeit".toCharArray();
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", pkcs8PrivateKey(keyPem), pw,
                        certificates(certPem).toArray(new X509Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, pw);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build SSLContext", e);
        }
    }

    private static List<byte[]> blocks(Path pem, String type) {
        String text;
        try {
            text = Files.readString(pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int b = text.indexOf(begin, from);
            if (b < 0) {
                return out;
            }
            int e = text.indexOf(end, b);
            if (e < 0) {
                throw new IllegalStateException("unterminated PEM block in " + pem);
            }
            String body = text.substring(b + begin.length(), e).replaceAll("\\s", "");
            out.add(Base64.getDecoder().decode(body));
            from = e + end.length();
        }
    }
}
