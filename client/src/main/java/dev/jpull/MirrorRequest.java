package dev.jpull;

/**
 * One request the local mirror answered ({@link LocalMirror}), for its access log. Text fields come from the
 * client or from the configuration and may hold anything: escape them before printing.
 *
 * @param method   {@code GET}, {@code HEAD}...
 * @param path     the request path, raw (the query is not included)
 * @param registry the registry the request was for ({@code ?ns=}, else the mirror's default); null when the
 *                 request was refused before that was known
 * @param status   the HTTP status sent (0 when none was: the client went away first)
 * @param bytes    body bytes sent
 * @param millis   time from the request to the end of the answer
 * @param source   where the body came from: {@code store}, the base URL of the upstream endpoint, or {@code -}
 * @param aborted  the connection was cut before the body was complete (a failed or unverifiable download)
 */
public record MirrorRequest(String method, String path, String registry, int status, long bytes, long millis,
                            String source, boolean aborted) {
}
