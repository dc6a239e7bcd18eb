package dev.jpull.internal.registry;

import dev.jpull.Outcome;
import dev.jpull.internal.http.Bodies;
import dev.jpull.internal.http.ErrorBody;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import dev.jpull.TlsResult;
import okhttp3.Response;

/**
 * The one classifier of failures, for {@code pull} and {@code diagnose} alike: HTTP statuses and I/O errors into
 * {@link Outcome}s, connection failures into refused / unreachable / timeout, and TLS failures into the
 * {@link TlsResult} kinds (untrusted, expired, hostname, plaintext...). What to tell the user about them is
 * {@link Advice}'s.
 */
public final class Failures {
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private Failures() {
    }

    static Outcome ofStatus(int status) {
        if (status == 404) {
            return Outcome.NOT_FOUND;
        } else if (status == 401) {
            return Outcome.UNAUTHORIZED;
        } else if (status == 403) {
            return Outcome.FORBIDDEN;
        } else if (status == 429) {
            return Outcome.THROTTLED;
        } else if (status >= 500) {
            return Outcome.SERVER_ERROR;
        }
        return Outcome.PROTOCOL_ERROR;
    }

    /** A failure for a non-success response; reads (a bounded part of) its body for the registry error. */
    static EndpointFailure ofResponse(Response response) {
        int status = response.code();
        String detail = null;
        try (var body = response.body()) {
            detail = ErrorBody.summarize(Bodies.readAtMost(body.byteStream(), MAX_ERROR_BODY));
        } catch (IOException | RuntimeException ignored) {
            // the status alone still classifies the failure
        }
        if (detail == null) {
            detail = "HTTP " + status + (response.message().isEmpty() ? "" : " " + response.message());
        }
        String retryAfter = response.header("Retry-After");
        java.time.Duration wait = null;
        if ((status == 429 || status == 503) && retryAfter != null) {
            detail += " (Retry-After: " + retryAfter + ")";
            wait = RetryAfter.parse(retryAfter, java.time.Instant.now());
        }
        return new EndpointFailure(ofStatus(status), status, detail, wait);
    }

    /** A failure for an I/O error; {@code inBody} when it happened while reading a response body. */
    static EndpointFailure ofIo(IOException e, boolean inBody) {
        String text = describe(e);
        if (e instanceof SSLException) {
            return new EndpointFailure(Outcome.TLS_ERROR, 0, tlsDescription(tlsKind(e), e, null), e);
        }
        if (e instanceof InterruptedIOException) {
            return new EndpointFailure(Outcome.TIMEOUT, 0, text, e);
        }
        if (!inBody && find(e, UnknownHostException.class) != null) {
            return new EndpointFailure(Outcome.DNS_ERROR, 0, text, e);
        }
        if (!inBody && (e instanceof SocketException || e instanceof ConnectException)) {
            Outcome o = UNREACHABLE.equals(connectKind(e)) ? Outcome.UNREACHABLE : Outcome.REFUSED;
            return new EndpointFailure(o, 0, text, e);
        }
        if (inBody || e instanceof EOFException || e instanceof SocketException) {
            return new EndpointFailure(inBody ? Outcome.TRUNCATED : Outcome.REFUSED, 0, text, e);
        }
        return new EndpointFailure(Outcome.PROTOCOL_ERROR, 0, text, e);
    }

    /** {@code Type: message} of an exception, on one line. */
    public static String describe(Throwable e) {
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        String s = m == null || m.isBlank() ? type : type + ": " + m;
        return s.replaceAll("\\s*\\R\\s*", " ");
    }

    /** {@link #connectKind}: nothing listens (or the peer reset the connection attempt). */
    public static final String REFUSED = "refused";
    /** {@link #connectKind}: no route to the host or its network. */
    public static final String UNREACHABLE = "unreachable";
    /** {@link #connectKind}: no answer within the connect timeout. */
    public static final String TIMEOUT = "timeout";
    /** {@link #connectKind}: another I/O error. */
    public static final String ERROR = "error";

    /** What a failed TCP connect means: {@value #REFUSED}, {@value #UNREACHABLE}, {@value #TIMEOUT} or {@value #ERROR}. */
    public static String connectKind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof NoRouteToHostException || m.contains("unreachable") || m.contains("No route to host")) {
                return UNREACHABLE;
            }
        }
        if (find(e, SocketTimeoutException.class) != null) {
            return TIMEOUT;
        }
        return find(e, ConnectException.class) != null ? REFUSED : ERROR;
    }

    /** Whether a TLS handshake failed because the server answered in plain text (e.g. HTTP). */
    public static boolean isPlainText(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("nrecognized SSL message") || m.contains("plaintext connection")) {
                return true;
            }
        }
        return false;
    }

    /** The kind of a failed TLS handshake: one of the {@link TlsResult} failure constants. */
    public static String tlsKind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return TlsResult.EXPIRED;
            }
            if (t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return TlsResult.EXPIRED;
            }
            if (t instanceof CertPathBuilderException) {
                return TlsResult.UNTRUSTED;
            }
            if (t instanceof SocketTimeoutException) {
                return TlsResult.TIMEOUT;
            }
        }
        if (String.valueOf(e.getMessage()).contains("PKIX path building failed")) {
            return TlsResult.UNTRUSTED;
        }
        if (isPlainText(e)) {
            return TlsResult.PLAINTEXT;
        }
        String m = String.valueOf(e.getMessage());
        boolean hostname = e instanceof SSLPeerUnverifiedException && m.contains("not verified")
                || m.contains("No subject alternative");
        return hostname ? TlsResult.HOSTNAME : TlsResult.HANDSHAKE;
    }

    /** A TLS failure of {@code kind} in words, as {@code diagnose} and {@code pull} print it. */
    public static String tlsDescription(String kind, Throwable e, String issuer) {
        return switch (kind) {
            case TlsResult.UNTRUSTED -> "certificate not trusted: no path to a trusted CA"
                    + (issuer == null ? "" : " (issuer " + issuer + ")");
            case TlsResult.EXPIRED -> "certificate expired or not yet valid";
            case TlsResult.PLAINTEXT -> "the server does not speak TLS (it answered with plain text, e.g. HTTP)";
            case TlsResult.HOSTNAME -> "host name mismatch";
            default -> describe(e);
        };
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
