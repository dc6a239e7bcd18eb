package dev.jpull;

/**
 * {@code GET <apiRoot>/} on the endpoint, without credentials.
 *
 * @param url          the URL requested
 * @param status       HTTP status, 0 when there was no HTTP answer
 * @param apiVersion   the {@code Docker-Distribution-API-Version} header, or null
 * @param ms           round trip
 * @param error        the I/O failure, or null
 * @param registryRoot when the API root did not answer as a registry: another URL on the same host that does
 *                     ({@code <apiRoot>/v2/} or {@code /v2/}), else null
 */
public record PingResult(String url, int status, String apiVersion, long ms, String error, String registryRoot) {

    /** 200 or 401: what a distribution registry answers at its API root. */
    public boolean registryAnswer() {
        return status == 200 || status == 401;
    }

    /** Whether any HTTP response arrived. */
    public boolean answered() {
        return status > 0;
    }
}
