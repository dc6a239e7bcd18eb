package dev.jpull.internal.registry;

/**
 * What a {@link HeadManifest} learnt of a manifest: its digest, media type and size.
 *
 * @param digest    the manifest's digest ({@code Docker-Content-Digest}, the requested digest, or computed from the
 *                  body when HEAD gave none)
 * @param mediaType {@code Content-Type} of the answer (or the body's {@code mediaType}); null when neither says
 * @param size      {@code Content-Length}, or the body's length; -1 when unknown
 */
public record ManifestHead(String digest, String mediaType, long size) {
}
