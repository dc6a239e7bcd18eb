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
import javax.net.ssl.SSLException;
import okhttp3.Response;

/** Classifies HTTP statuses and I/O errors into {@link Outcome}s. */
final class Failures {
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
            return new EndpointFailure(Outcome.TLS_ERROR, 0, text, e);
        }
        if (e instanceof InterruptedIOException) {
            return new EndpointFailure(Outcome.TIMEOUT, 0, text, e);
        }
        if (!inBody && (e instanceof ConnectException || e instanceof NoRouteToHostException
                || e instanceof UnknownHostException)) {
            return new EndpointFailure(Outcome.REFUSED, 0, text, e);
        }
        if (inBody || e instanceof EOFException || e instanceof SocketException) {
            return new EndpointFailure(inBody ? Outcome.TRUNCATED : Outcome.REFUSED, 0, text, e);
        }
        return new EndpointFailure(Outcome.PROTOCOL_ERROR, 0, text, e);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        return m == null || m.isBlank() ? type : type + ": " + m;
    }
}
