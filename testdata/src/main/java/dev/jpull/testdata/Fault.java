package dev.jpull.testdata;

/** What a {@link FaultProxy} does to a request whose path matches its current rule. */
public enum Fault {
    /** Forward and answer faithfully. */
    NONE,
    /** Accept the connection and read the request, never send a byte; hold the socket until it is closed. */
    NEVER_ANSWER,
    /** Answer with the full {@code Content-Length} but one byte in the middle of the body flipped. */
    CORRUPT_BODY,
    /** Declare the full {@code Content-Length}, send half of the body, then close normally (FIN). */
    TRUNCATE_BODY,
    /** Send the headers and half of the body, then nothing more; the socket stays open until closed. */
    STALL_MID_BODY,
    /** Send the headers and half of the body, then close with {@code SO_LINGER 0} so the peer gets an RST. */
    RESET_MID_BODY,
    /** Answer {@code 500 Internal Server Error} with a distribution error body, without forwarding. */
    SERVER_ERROR,
    /** Answer {@code 429 Too Many Requests} (no {@code Retry-After}) with a distribution error body, without forwarding. */
    TOO_MANY_REQUESTS;

    /** The status a fault answers with instead of forwarding, 0 for the faults applied to a forwarded answer. */
    int status() {
        return switch (this) {
            case SERVER_ERROR -> 500;
            case TOO_MANY_REQUESTS -> 429;
            default -> 0;
        };
    }
}
