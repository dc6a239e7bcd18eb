package dev.jpull;

/**
 * TCP connect to the endpoint.
 *
 * @param status  {@code ok}, {@code refused}, {@code unreachable}, {@code timeout} or {@code error}
 * @param address {@code ip:port} connected to (or last tried)
 * @param ms      time taken by the connect
 * @param error   the failure, or null
 */
public record TcpResult(String status, String address, long ms, String error) {
    public boolean ok() {
        return "ok".equals(status);
    }
}
