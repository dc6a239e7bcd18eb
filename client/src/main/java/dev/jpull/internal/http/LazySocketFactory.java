package dev.jpull.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An {@link SSLSocketFactory} whose {@link SSLContext} is made on first use. Setting up the JDK's TLS provider
 * costs about 0.1 s of a cold start; a client that may never open a TLS connection (the plain-http-first client of a
 * local registry, {@link HttpsFirst}) should not pay it before its first request. Only for material that cannot
 * fail to load (a trust manager in hand, no key files): a failure here is the JDK's, reported as an
 * {@link SSLException} by the first connection.
 */
final class LazySocketFactory extends SSLSocketFactory {
    private final X509TrustManager trust;
    private volatile SSLSocketFactory delegate;

    LazySocketFactory(X509TrustManager trust) {
        this.trust = trust;
    }

    private SSLSocketFactory delegate() throws SSLException {
        SSLSocketFactory d = delegate;
        if (d == null) {
            synchronized (this) {
                d = delegate;
                if (d == null) {
                    try {
                        SSLContext ctx = SSLContext.getInstance("TLS");
                        ctx.init(null, new TrustManager[] {trust}, null);
                        d = ctx.getSocketFactory();
                    } catch (GeneralSecurityException e) {
                        throw new SSLException("cannot set up TLS: " + e.getMessage(), e);
                    }
                    delegate = d;
                }
            }
        }
        return d;
    }

    private SSLSocketFactory unchecked() {
        try {
            return delegate();
        } catch (SSLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return unchecked().getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return unchecked().getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return delegate().createSocket(s, host, port, autoClose);
    }

    @Override
    public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
        return delegate().createSocket(s, consumed, autoClose);
    }

    @Override
    public Socket createSocket() throws IOException {
        return delegate().createSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return delegate().createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return delegate().createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return delegate().createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return delegate().createSocket(address, port, localAddress, localPort);
    }
}
