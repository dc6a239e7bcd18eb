package dev.jpull.internal.http;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * containerd's HTTPS-first rule for an {@code http://} host that has TLS settings (for a localhost registry on a
 * port other than 80 containerd sets skip-verify itself): the request goes out over https first and falls back
 * to plain http when the TLS handshake fails in a way that says the server does not speak TLS (a plaintext
 * answer, a handshake cut off or timed out); a certificate that does not verify is an error, not a reason to
 * drop TLS. A host that fell back once is spoken to over http from then on ({@code plainOnly}, shared by the
 * clients of one {@link HttpClients}). The response carries the original {@code http://} request, so redirects
 * and origin checks see the endpoint's own URL.
 *
 * <p>{@code plainFirst} (a loopback host whose only TLS setting is skip-verify: containerd's localhost default):
 * a request without credentials goes out over plain http first, and https is tried only when that answer says the
 * server speaks TLS (a {@code 400}, as Go's and nginx's TLS servers answer plain http, or no HTTP answer at all).
 * The protocol chosen is the one the https-first order chooses (a TLS server gets no plain answer through), without
 * paying a failed handshake, and the TLS set-up, on every pull from a plain-http local registry: a TLS attempt
 * without verification on loopback authenticates nothing, and a request with credentials keeps the https-first
 * order. Only a server that answers both on one port is then spoken to over http.
 */
final class HttpsFirst implements Interceptor {
    /** Go's and nginx's answer to plain http on a TLS port. */
    private static final int PLAIN_ON_TLS_PORT = 400;

    private final Set<String> plainOnly;
    private final boolean plainFirst;

    HttpsFirst(Set<String> plainOnly, boolean plainFirst) {
        this.plainOnly = plainOnly;
        this.plainFirst = plainFirst;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        HttpUrl url = request.url();
        String key = url.host() + ":" + url.port();
        if (url.isHttps() || url.port() == 80 || plainOnly.contains(key)) {
            return chain.proceed(request);
        }
        IOException plainFailed = null;
        if (plainFirst && request.header("Authorization") == null && request.body() == null) {
            try {
                Response response = chain.proceed(request);
                if (response.code() != PLAIN_ON_TLS_PORT) {
                    plainOnly.add(key);
                    return response;
                }
                response.close();
            } catch (java.net.ConnectException e) {
                throw e; // nothing listens: a TLS attempt would be refused too
            } catch (IOException e) {
                if (chain.call().isCanceled()) {
                    throw e;
                }
                plainFailed = e; // no HTTP answer: perhaps a TLS server
            }
        }
        HttpUrl tlsUrl = url.newBuilder().scheme("https").port(url.port()).build();
        Response response;
        try {
            response = chain.proceed(request.newBuilder().url(tlsUrl).build());
        } catch (IOException e) {
            if (!speaksNoTls(e)) {
                throw e;
            }
            if (plainFailed != null) {
                plainFailed.addSuppressed(e);
                throw plainFailed; // neither plain http nor TLS answered
            }
            plainOnly.add(key);
            return chain.proceed(request);
        }
        return response.newBuilder().request(request).build();
    }

    /** True when {@code e} says the server did not answer the TLS handshake as a TLS server would. */
    static boolean speaksNoTls(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLPeerUnverifiedException || t instanceof CertificateException) {
                return false; // it speaks TLS, with a certificate that does not verify
            }
        }
        if (e instanceof SSLException) {
            return true; // e.g. "Unsupported or unrecognized SSL message": a plaintext answer
        }
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (e instanceof SocketTimeoutException) {
            return !m.contains("connect"); // the handshake timed out, not the TCP connect
        }
        return e instanceof java.io.EOFException || m.contains("connection reset")
                || m.contains("unexpected end of stream");
    }
}
