package dev.jpull;

import java.util.List;

/**
 * Name resolution of the endpoint's host.
 *
 * @param host      the host name or IP literal looked up (without port or brackets)
 * @param addresses resolved addresses, empty when resolution failed
 * @param ms        time taken
 * @param error     why resolution failed, or null
 */
public record DnsResult(String host, List<String> addresses, long ms, String error) {
    public DnsResult {
        addresses = List.copyOf(addresses);
    }

    public boolean ok() {
        return error == null && !addresses.isEmpty();
    }
}
