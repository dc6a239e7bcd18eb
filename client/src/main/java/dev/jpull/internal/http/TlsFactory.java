package dev.jpull.internal.http;

import dev.jpull.ConfigException;
import dev.jpull.ConfigSetting;
import dev.jpull.TlsConfig;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Turns a {@link TlsConfig} into what OkHttp needs: a socket factory, its trust manager, and (only for
 * {@code insecure_skip_verify}) a hostname verifier that accepts everything. {@code ca_file} is added to the
 * JDK's default trust, never replaces it; a client certificate needs both {@code cert_file} and
 * {@code key_file}.
 */
final class TlsFactory {
    private static final char[] NO_PASSWORD = new char[0];

    private TlsFactory() {
    }

    /**
     * TLS material for one configuration.
     *
     * @param hostnameVerifier null to keep OkHttp's own verifier
     */
    record Tls(SSLSocketFactory socketFactory, X509TrustManager trustManager, HostnameVerifier hostnameVerifier) {
    }

    /**
     * Builds the TLS material.
     *
     * @param configHost the {@code configs} key the settings came from, used in error messages
     * @throws ConfigException for half a client key pair or unreadable/malformed files
     */
    static Tls create(TlsConfig config, String configHost) {
        String where = "configs.\"" + configHost + "\".tls";
        ConfigSetting ca = setting(config.caFileSetting(), where + ".ca_file");
        ConfigSetting certSetting = setting(config.certFileSetting(), where + ".cert_file");
        ConfigSetting keySetting = setting(config.keyFileSetting(), where + ".key_file");
        if (config.certFile() == null && config.keyFile() != null) {
            throw keySetting.error("key_file is set without cert_file", null);
        }
        if (config.certFile() != null && config.keyFile() == null) {
            throw certSetting.error("cert_file is set without key_file", null);
        }
        try {
            X509TrustManager trust;
            if (config.insecureSkipVerify()) {
                trust = new TrustAll();
            } else if (config.caFile() != null) {
                trust = new Composite(defaultTrustManager(), trustManagerFor(at(ca, () -> Pem.certificates(config.caFile()))));
            } else {
                trust = defaultTrustManager();
            }
            KeyManager[] keyManagers = null;
            if (config.certFile() != null) {
                List<X509Certificate> chain = at(certSetting, () -> Pem.certificates(config.certFile()));
                PrivateKey key = at(keySetting, () -> Pem.privateKey(config.keyFile()));
                if (!matches(key, chain.get(0))) {
                    throw keySetting.error(config.keyFile() + " does not match cert_file " + config.certFile(), null);
                }
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, NO_PASSWORD);
                keyManagers = kmf.getKeyManagers();
            }
            HostnameVerifier anyHost = config.insecureSkipVerify() ? (hostname, session) -> true : null;
            if (keyManagers == null && trust instanceof TrustAll) {
                return new Tls(new LazySocketFactory(trust), trust, anyHost); // nothing that could fail to load
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, new TrustManager[] {trust}, null);
            return new Tls(ctx.getSocketFactory(), trust, anyHost);
        } catch (GeneralSecurityException | java.io.IOException e) {
            // e.g. a key that does not match its certificate's algorithm
            throw new ConfigException(where + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The setting as written, or one named {@code key} without a position (TLS settings built in code). */
    private static ConfigSetting setting(ConfigSetting written, String key) {
        return written != null ? written : new ConfigSetting(key, null);
    }

    /** Reads a PEM file for {@code setting}; a problem names the setting, its position and the reason. */
    private static <T> T at(ConfigSetting setting, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (ConfigException e) {
            throw setting.error(e.getMessage(), e);
        }
    }

    /** True if {@code key} signs what {@code cert}'s public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate cert) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] probe = "jpull key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        return trustManager(null);
    }

    private static X509TrustManager trustManagerFor(List<X509Certificate> cas) throws GeneralSecurityException, java.io.IOException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (X509Certificate ca : cas) {
            ks.setCertificateEntry("ca-" + i++, ca);
        }
        return trustManager(ks);
    }

    private static X509TrustManager trustManager(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager available");
    }

    /** A trust manager for the client side of TLS only: it never has to judge a client's certificate. */
    abstract static class ServerOnly extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not checked by jpull");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkClientTrusted(chain, authType);
        }
    }

    /** Trusts a server chain if the JDK default trust or the configured CAs do. Server side only. */
    static final class Composite extends ServerOnly {
        private final X509TrustManager system;
        private final X509TrustManager custom;

        Composite(X509TrustManager system, X509TrustManager custom) {
            this.system = system;
            this.custom = custom;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            either(tm -> {
                if (tm instanceof X509ExtendedTrustManager x) {
                    x.checkServerTrusted(chain, authType, socket);
                } else {
                    tm.checkServerTrusted(chain, authType);
                }
            });
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            either(tm -> {
                if (tm instanceof X509ExtendedTrustManager x) {
                    x.checkServerTrusted(chain, authType, engine);
                } else {
                    tm.checkServerTrusted(chain, authType);
                }
            });
        }

        private interface Check {
            void run(X509TrustManager tm) throws CertificateException;
        }

        private void either(Check check) throws CertificateException {
            try {
                check.run(system);
            } catch (CertificateException systemFailure) {
                try {
                    check.run(custom);
                } catch (CertificateException customFailure) {
                    customFailure.addSuppressed(systemFailure);
                    throw customFailure;
                }
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(List.of(system.getAcceptedIssuers()));
            all.addAll(List.of(custom.getAcceptedIssuers()));
            return all.toArray(new X509Certificate[0]);
        }
    }

    /** {@code insecure_skip_verify}: accepts any server certificate. */
    static final class TrustAll extends ServerOnly {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
