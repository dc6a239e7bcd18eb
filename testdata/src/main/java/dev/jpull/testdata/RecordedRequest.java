package dev.jpull.testdata;

/**
 * One request a {@link FaultProxy} received.
 *
 * @param method HTTP method
 * @param path   request path without the query, e.g. {@code /v2/library/app/blobs/sha256:...}
 * @param range  the {@code Range} header, null when absent
 * @param fault  the fault applied to it ({@link Fault#NONE} when the rule did not match)
 */
public record RecordedRequest(String method, String path, String range, Fault fault) {
}
