package dev.jpull.testdata;

/**
 * A generated layer blob.
 *
 * @param digest    digest of the gzip'd tar as stored ({@code sha256:...})
 * @param size      size of the gzip'd tar in bytes
 * @param diffId    digest of the uncompressed tar
 * @param mediaType OCI layer media type
 */
public record Layer(String digest, long size, String diffId, String mediaType) {
}
