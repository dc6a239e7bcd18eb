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
    RESET_MID_BODY
}
