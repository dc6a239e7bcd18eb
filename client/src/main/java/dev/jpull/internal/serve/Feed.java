package dev.jpull.internal.serve;

import dev.jpull.spi.BlobDescriptor;

/**
 * One blob being downloaded into the store while clients read it: how many bytes of the partial file are there
 * ({@link #wrote}), whether the bytes were thrown away and written again from 0 ({@link #generation}), and how the
 * download ended (committed, so the last byte may go out, or failed). Readers {@link #await} progress instead of
 * polling. Thread-safe: the downloading thread reports, any number of client threads wait.
 */
final class Feed {
    enum State { WAITING, STREAMING, COMMITTED, FAILED }

    /** What a reader sees at one moment. */
    record View(State state, long available, int generation, RuntimeException failure, String endpoint) {
    }

    private final BlobDescriptor blob;
    private State state = State.WAITING;
    private long available;
    private int generation;
    private RuntimeException failure;
    private String endpoint;

    Feed(BlobDescriptor blob) {
        this.blob = blob;
    }

    BlobDescriptor blob() {
        return blob;
    }

    /** The writer holds {@code offset} bytes (a resumed prefix, or what arrived). */
    synchronized void wrote(long offset) {
        if (offset != available || state == State.WAITING) {
            available = offset;
            if (state == State.WAITING && offset > 0) {
                state = State.STREAMING;
            }
            notifyAll();
        }
    }

    /** The bytes held were discarded: readers that sent any of them must give up. */
    synchronized void truncated() {
        generation++;
        available = 0;
        notifyAll();
    }

    /** Verified and committed: the whole blob is in the store. */
    synchronized void committed(String endpoint) {
        if (endpoint != null) {
            this.endpoint = endpoint;
        }
        state = State.COMMITTED;
        available = blob.size();
        notifyAll();
    }

    synchronized void failed(RuntimeException e) {
        if (state != State.COMMITTED) {
            state = State.FAILED;
            failure = e;
            notifyAll();
        }
    }

    synchronized boolean failed() {
        return state == State.FAILED;
    }

    synchronized View view() {
        return new View(state, available, generation, failure, endpoint);
    }

    /**
     * Waits until the download has more than {@code position} bytes of generation {@code generation}, or has
     * ended, or started over, or {@code maxMillis} passed; returns what it sees then.
     */
    synchronized View await(long position, int generation, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        while ((state == State.WAITING || state == State.STREAMING) && available <= position
                && this.generation == generation) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return view();
    }

    /** Waits until the download has ended (committed or failed), at most {@code maxMillis}. */
    synchronized View awaitEnd(long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        while (state == State.WAITING || state == State.STREAMING) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return view();
    }

    /** Waits until the download streams or has ended (a client is answered only then). */
    synchronized View awaitStart(long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        while (state == State.WAITING) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return view();
    }
}
