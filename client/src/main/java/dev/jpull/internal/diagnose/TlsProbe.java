package dev.jpull.internal.diagnose;

import dev.jpull.TlsResult;

import dev.jpull.Timeouts;
import dev.jpull.internal.registry.Failures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Two raw TLS handshakes with one endpoint: one trusting anything, to read the certificate even when it would not
 * be accepted, and one with the endpoint's own socket factory and host name verifier, for the verdict.
 */
final class TlsProbe {
    private final Timeouts timeouts;

    TlsProbe(Timeouts timeouts) {
        this.timeouts = timeouts;
    }

    /**
     * @param host      host name or IP literal (no brackets), for SNI and the host name check
     * @param verifying the endpoint's socket factory (its CA, client certificate, skip-verify)
     * @param verifier  the endpoint's host name verifier
     */
    TlsResult probe(InetSocketAddress address, String host, SSLSocketFactory verifying, HostnameVerifier verifier) {
        Recorder recorder = new Recorder();
        String protocol = null;
        String plainTextError = null;
        try (SSLSocket s = handshake(address, host, trustAnything(recorder))) {
            protocol = s.getSession().getProtocol();
        } catch (IOException e) {
            if (recorder.chain.get() == null && isPlainText(e)) {
                plainTextError = "the server does not speak TLS (it answered with plain text, e.g. HTTP)";
            }
        }
        X509Certificate[] chain = recorder.chain.get();
        X509Certificate leaf = chain == null || chain.length == 0 ? null : chain[0];
        String subject = leaf == null ? null : leaf.getSubjectX500Principal().getName();
        String issuer = leaf == null ? null : leaf.getIssuerX500Principal().getName();
        var notAfter = leaf == null ? null : leaf.getNotAfter().toInstant();
        List<String> names = leaf == null ? List.of() : names(leaf);
        if (plainTextError != null) {
            return new TlsResult(null, null, null, null, List.of(), false, TlsResult.PLAINTEXT, plainTextError, 0);
        }
        long start = System.nanoTime();
        String failure = null;
        String error = null;
        try (SSLSocket s = handshake(address, host, verifying)) {
            if (!verifier.verify(host, s.getSession())) {
                failure = TlsResult.HOSTNAME;
                error = "the certificate is not valid for " + host + " (it names "
                        + (names.isEmpty() ? "no subject alternative names" : String.join(", ", names)) + ")";
            }
        } catch (SocketTimeoutException e) {
            failure = TlsResult.TIMEOUT;
            error = "TLS handshake did not complete within " + timeouts.tls().toMillis() + " ms";
        } catch (IOException e) {
            failure = classify(e);
            error = describe(failure, e, issuer);
        }
        long ms = Diagnoser.millisSince(start);
        return new TlsResult(protocol, subject, issuer, notAfter, names, failure == null, failure, error, ms);
    }

    private SSLSocket handshake(InetSocketAddress address, String host, SSLSocketFactory factory) throws IOException {
        Socket raw = new Socket();
        try {
            raw.connect(address, (int) timeouts.connect().toMillis());
            raw.setSoTimeout((int) timeouts.tls().toMillis());
            SSLSocket s = (SSLSocket) factory.createSocket(raw, host, address.getPort(), true);
            s.startHandshake();
            return s;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    static boolean isPlainText(Throwable e) {
        return Failures.isPlainText(e);
    }

    static String classify(Throwable e) {
        return Failures.tlsKind(e);
    }

    private static String describe(String failure, Throwable e, String issuer) {
        return Failures.tlsDescription(failure, e, issuer);
    }

    private static List<String> names(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            var sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && san.get(1) instanceof String s) {
                        out.add(s);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no names then
        }
        return out;
    }

    private static SSLSocketFactory trustAnything(Recorder recorder) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {recorder}, null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS available", e);
        }
    }

    /** Accepts any server chain and keeps it. Used only to read the certificate, never to send a request. */
    private static final class Recorder extends X509ExtendedTrustManager {
        final AtomicReference<X509Certificate[]> chain = new AtomicReference<>();

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType) {
            chain.set(c);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType, Socket socket) {
            chain.set(c);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType, SSLEngine engine) {
            chain.set(c);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType, Socket socket)
                throws java.security.cert.CertificateException {
            checkClientTrusted(c, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType, SSLEngine engine)
                throws java.security.cert.CertificateException {
            checkClientTrusted(c, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
