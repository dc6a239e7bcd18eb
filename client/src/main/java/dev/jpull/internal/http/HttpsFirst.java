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
 */
final class HttpsFirst implements Interceptor {
    private final Set<String> plainOnly;

    HttpsFirst(Set<String> plainOnly) {
        this.plainOnly = plainOnly;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        HttpUrl url = request.url();
        String key = url.host() + ":" + url.port();
        if (url.isHttps() || url.port() == 80 || plainOnly.contains(key)) {
            return chain.proceed(request);
        }
        HttpUrl tlsUrl = url.newBuilder().scheme("https").port(url.port()).build();
        Response response;
        try {
            response = chain.proceed(request.newBuilder().url(tlsUrl).build());
        } catch (IOException e) {
            if (!speaksNoTls(e)) {
                throw e;
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
