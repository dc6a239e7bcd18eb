package dev.jpull;

import java.util.List;

/**
 * What {@link Jpull#load} put into the store.
 *
 * @param format {@code oci} (an OCI image layout: jpull's and docker 25's save, skopeo's {@code oci-archive}; digests
 *               as in the archive) or {@code docker} (Docker's {@code manifest.json} only: docker's older save,
 *               skopeo's {@code docker-archive}; such an archive has no manifest, so jpull wrote one, and its digest
 *               is not the registry's)
 * @param images one per reference tagged, and one per image that the archive names nothing for (reference null)
 */
public record LoadResult(String format, List<ImageSummary> images) {
    public LoadResult {
        images = List.copyOf(images);
    }
}
