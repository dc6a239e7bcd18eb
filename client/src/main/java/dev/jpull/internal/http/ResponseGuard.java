package dev.jpull.internal.http;

import dev.jpull.Timeouts;

import java.io.IOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * The outermost interceptor of every client: whatever a server sends is either a response or an
 * {@link IOException}, never a {@link RuntimeException} from OkHttp choking on it, and no body trickles forever.
 * <ul>
 *   <li>A {@code Content-Length} that is not one non-negative decimal number ({@code -5}, {@code abc}, an
 *       overflowing value, a list, two different values) is refused before the body is touched: OkHttp would
 *       frame the body by it and throw {@code IllegalArgumentException: byteCount < 0} on the first read (and
 *       on close).</li>
 *   <li>An {@link IllegalArgumentException} from inside OkHttp while it handles a response (e.g. its own parse
 *       of a huge {@code Retry-After} on a 503 or 408), or from a body read, becomes a {@link ProtocolException}:
 *       response data, so a protocol error of that endpoint, not a programming error.</li>
 *   <li>Low-speed limit (curl's {@code --speed-limit/--speed-time}): a body that delivers fewer than
 *       {@code speedLimit × speedTime} bytes in a {@code speedTime} window (also none at all) is abandoned: the
 *       call is cancelled and the read fails with a {@link SocketTimeoutException}, i.e. a timeout.</li>
 * </ul>
 */
final class ResponseGuard implements Interceptor {
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "jpull-low-speed");
        t.setDaemon(true);
        return t;
    });

    static {
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private final long speedLimit;
    private final Duration speedTime;

    ResponseGuard(Timeouts timeouts) {
        this.speedLimit = timeouts.lowSpeedLimited() ? timeouts.speedLimit() : 0;
        this.speedTime = timeouts.speedTime();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response;
        try {
            response = chain.proceed(chain.request());
        } catch (IllegalArgumentException e) {
            throw new MalformedResponseException("malformed response (" + describe(e) + ")", e);
        }
        String problem = framingProblem(response.headers("Content-Length"));
        if (problem != null) {
            chain.call().cancel(); // the connection's framing is unknown: never reuse it
            try {
                response.close();
            } catch (RuntimeException | Error ignored) {
                // OkHttp's body close trips over the same value; the call is cancelled anyway
            }
            throw new MalformedResponseException(problem);
        }
        ResponseBody body = response.body();
        if (body == null) {
            return response;
        }
        return response.newBuilder().body(new GuardedBody(body, chain.call())).build();
    }

    /** Why these {@code Content-Length} values cannot frame a body, or null when they can (or are absent). */
    static String framingProblem(List<String> values) {
        Long length = null;
        for (String v : values) {
            String s = v.strip();
            long n;
            try {
                n = s.isEmpty() || s.length() > 19 || !s.chars().allMatch(c -> c >= '0' && c <= '9') ? -1
                        : Long.parseLong(s);
            } catch (NumberFormatException overflow) {
                n = -1;
            }
            if (n < 0) {
                return "invalid Content-Length \"" + shown(v) + "\"";
            }
            if (length != null && length != n) {
                return "conflicting Content-Length values " + length + " and " + n;
            }
            length = n;
        }
        return null;
    }

    /** Server text in a message: at most 40 characters, control characters as '?'. */
    private static String shown(String v) {
        String s = v.length() > 40 ? v.substring(0, 40) + "..." : v;
        return s.codePoints().map(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /** {@code 30s}, {@code 1500ms}. */
    static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + shown(m));
    }

    /** A response that cannot be what the server claims: a protocol error of that server. */
    static final class MalformedResponseException extends ProtocolException {
        MalformedResponseException(String message) {
            super(message);
        }

        MalformedResponseException(String message, Throwable cause) {
            super(message);
            initCause(cause);
        }
    }

    /** A body below the low-speed limit. */
    static final class LowSpeedException extends SocketTimeoutException {
        LowSpeedException(String message) {
            super(message);
        }
    }

    /** The body, read through the checks above. */
    private final class GuardedBody extends ResponseBody {
        private final ResponseBody delegate;
        private final BufferedSource source;

        GuardedBody(ResponseBody delegate, Call call) {
            this.delegate = delegate;
            this.source = Okio.buffer(new GuardedSource(delegate.source(), call,
                    speedLimit > 0 && delegate.contentLength() != 0));
        }

        @Override
        public MediaType contentType() {
            return delegate.contentType();
        }

        @Override
        public long contentLength() {
            return delegate.contentLength();
        }

        @Override
        public BufferedSource source() {
            return source;
        }
    }

    private final class GuardedSource extends ForwardingSource {
        private final AtomicLong inWindow = new AtomicLong();
        private final Call call;
        private final ScheduledFuture<?> check;
        private volatile String slow;

        GuardedSource(okio.Source delegate, Call call, boolean limited) {
            super(delegate);
            this.call = call;
            long windowMillis = Math.max(1, speedTime.toMillis());
            long needed = windowMillis >= Long.MAX_VALUE / Math.max(1, speedLimit) ? Long.MAX_VALUE
                    : Math.max(1, speedLimit * windowMillis / 1000);
            this.check = limited ? TIMER.scheduleAtFixedRate(() -> {
                long got = inWindow.getAndSet(0);
                if (got < needed && slow == null) {
                    slow = "slower than " + speedLimit + " bytes/s for " + text(speedTime) + " (" + got
                            + " bytes in the last " + text(speedTime) + ")";
                    call.cancel();
                }
            }, windowMillis, windowMillis, TimeUnit.MILLISECONDS) : null;
        }

        @Override
        public long read(Buffer sink, long byteCount) throws IOException {
            long n;
            try {
                n = super.read(sink, byteCount);
            } catch (IOException e) {
                stop();
                throw slow != null ? new LowSpeedException(slow) : e;
            } catch (IllegalArgumentException e) {
                stop();
                throw new MalformedResponseException("malformed response body (" + describe(e) + ")", e);
            }
            if (n < 0) {
                stop();
            } else {
                inWindow.addAndGet(n);
            }
            if (slow != null && n >= 0) {
                throw new LowSpeedException(slow);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            stop();
            try {
                super.close();
            } catch (IllegalArgumentException e) {
                call.cancel();
                throw new MalformedResponseException("malformed response body (" + describe(e) + ")", e);
            }
        }

        private void stop() {
            if (check != null) {
                check.cancel(false);
            }
        }
    }
}
