package dev.jpull.oci;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one Jackson {@link ObjectMapper} of jpull, in Jackson's default configuration. Building a mapper costs tens
 * of milliseconds of a short CLI run, so every reader and writer shares this one; a mapper is thread-safe once
 * configured. Never reconfigure it: use {@code readerFor}/{@code writer...} views for other settings. Created on
 * first use, so code paths without JSON do not pay for it.
 */
public final class Json {
    /** The shared mapper. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }
}
