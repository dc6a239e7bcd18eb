package dev.jpull;

import java.util.Locale;

/** Whether an endpoint serves what the registry itself serves for the reference ({@code jpull diagnose}). */
public enum Drift {
    /** The same digest as the registry, and (for a mirror) every blob of it: the registry's manifest's config and layers. */
    SAME,
    /** Another digest than the registry's: a stale mirror (an accelerator that caches tags) serving an older image. */
    STALE,
    /** The registry's digest, but some of its manifests or blobs are missing there (404). */
    MISSING_BLOBS,
    /** Not known: the endpoint cannot serve the image, the registry itself did not answer, or a check failed. */
    UNKNOWN;

    /** The spelling in output, e.g. {@code missing-blobs}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return label();
    }
}
