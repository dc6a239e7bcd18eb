package dev.jpull.containerd.internal;

import dev.jpull.containerd.ContainerdException;
import dev.jpull.containerd.internal.api.content.WriteContentRequest;
import dev.jpull.containerd.internal.api.content.WriteContentResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@code Content.Write} call as a blocking exchange: {@link #send} a request, {@link #await} containerd's
 * answers in order, each wait bounded by {@link Connection#CALL_TIMEOUT}; {@link #end} half-closes the call and
 * waits briefly for containerd to close its end (so the ref's lock is free when it returns). gRPC's callbacks
 * only queue what arrives. Used by one thread at a time.
 */
final class WriteStream {
    private static final Object DONE = new Object();

    private final Connection connection;
    private final BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    private final StreamObserver<WriteContentRequest> requests;
    private boolean halfClosed;

    WriteStream(Connection connection, String lease) {
        this.connection = connection;
        this.requests = connection.contentStreams(lease).write(new StreamObserver<>() {
            @Override
            public void onNext(WriteContentResponse value) {
                answers.add(value);
            }

            @Override
            public void onError(Throwable t) {
                answers.add(t instanceof StatusRuntimeException ? t : Status.fromThrowable(t).asRuntimeException());
            }

            @Override
            public void onCompleted() {
                answers.add(DONE);
            }
        });
    }

    void send(WriteContentRequest request) {
        requests.onNext(request);
    }

    /**
     * The next answer; a {@link StatusRuntimeException} when containerd ended the call with an error, a
     * {@link ContainerdException} when it did not answer in time.
     */
    WriteContentResponse await(String doing) {
        Object o;
        try {
            o = answers.poll(Connection.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerdException("interrupted while " + doing + " in containerd at " + connection.socket(),
                    e);
        }
        if (o == null) {
            throw new ContainerdException("containerd at " + connection.socket() + " did not answer within "
                    + Connection.CALL_TIMEOUT.toMinutes() + " min while " + doing + ": check containerd's log");
        }
        if (o instanceof StatusRuntimeException e) {
            throw e;
        }
        if (o == DONE) {
            throw Status.UNAVAILABLE.withDescription("containerd ended the write stream").asRuntimeException();
        }
        return (WriteContentResponse) o;
    }

    /** Half-closes the call (once) and waits up to 5 s for containerd to end it. */
    void end() {
        if (halfClosed) {
            return;
        }
        halfClosed = true;
        try {
            requests.onCompleted();
        } catch (RuntimeException alreadyClosed) {
            return; // the call ended with an error, which was reported
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            for (Object o; (o = answers.poll(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS)) != null; ) {
                if (o == DONE || o instanceof Throwable) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
