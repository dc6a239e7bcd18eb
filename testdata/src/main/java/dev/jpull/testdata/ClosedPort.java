package dev.jpull.testdata;

/**
 * A loopback port with nothing listening (connections are refused), for "endpoint down" tests.
 * The port was free when allocated; nothing in the fixtures binds it afterwards.
 *
 * @param port the port number
 */
public record ClosedPort(int port) {

    /** Allocates a port that was free a moment ago. */
    public static ClosedPort allocate() {
        return new ClosedPort(Procs.freePort());
    }

    /** {@code 127.0.0.1:PORT}. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://" + hostPort();
    }
}
