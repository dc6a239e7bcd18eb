package dev.jpull.internal.serve;

import dev.jpull.ImageReference;
import dev.jpull.ReferenceException;
import dev.jpull.internal.oci.Digests;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a request to the mirror asks for: {@code /v2/} itself, or a manifest or blob of a repository of the
 * registry named by containerd's {@code ?ns=} (else the default registry). Built from the raw path, never
 * decoded: a repository name never needs percent-encoding, so a path with {@code %}, empty or dot segments is
 * refused before anything else looks at it. The repository, reference and registry are checked with the image
 * reference grammar ({@link ImageReference#parse}).
 *
 * @param kind      what is asked for
 * @param image     the registry and repository (with the tag or digest for a manifest), normalised
 * @param reference the manifest's tag or digest, or the blob's digest; null for {@link Kind#BASE}
 */
record Route(Kind kind, ImageReference image, String reference) {
    /** Longest request path accepted (a repository name is at most 255 characters). */
    static final int MAX_PATH = 1024;
    private static final Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
    private static final Pattern OBJECT = Pattern.compile("/v2/(.+)/(manifests|blobs)/([^/]+)");
    private static final Pattern NS = Pattern.compile("[A-Za-z0-9.:\\[\\]_-]{1,255}");

    enum Kind { BASE, MANIFEST, BLOB, TAGS }

    /** A request the mirror refuses, with the registry error code and HTTP status it answers. */
    static final class Refused extends Exception {
        final int status;
        final String code;

        Refused(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    /** The registry the request is for: its {@code ns} query parameter, else {@code defaultRegistry}. */
    static String registry(String rawQuery, String defaultRegistry) throws Refused {
        String ns = param(rawQuery, "ns", "NAME_INVALID");
        if (ns == null) {
            return defaultRegistry;
        }
        if (!NS.matcher(ns).matches()) {
            throw new Refused(400, "NAME_INVALID", "ns is not a registry host");
        }
        return ns;
    }

    /** The percent-decoded value of query parameter {@code name}, or null; malformed: refused with {@code code}. */
    static String param(String rawQuery, String name, String code) throws Refused {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith(name + "=")) {
                try {
                    return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new Refused(400, code, "malformed " + name + " parameter");
                }
            }
        }
        return null;
    }

    static Route parse(String rawPath, String registry) throws Refused {
        if (rawPath.length() > MAX_PATH) {
            throw new Refused(414, "NAME_INVALID", "request path longer than " + MAX_PATH + " characters");
        }
        if (rawPath.equals("/v2/") || rawPath.equals("/v2")) {
            return new Route(Kind.BASE, null, null);
        }
        if (rawPath.contains("%") || rawPath.contains("//") || rawPath.contains("/./") || rawPath.contains("/../")) {
            throw new Refused(404, "NAME_UNKNOWN", "not a registry API path");
        }
        Matcher tags = TAGS.matcher(rawPath);
        if (tags.matches()) {
            return new Route(Kind.TAGS, image(registry, tags.group(1), ""), null);
        }
        Matcher m = OBJECT.matcher(rawPath);
        if (!m.matches() || rawPath.contains("%") || rawPath.contains("//") || rawPath.contains("/./")
                || rawPath.contains("/../")) {
            throw new Refused(404, "NAME_UNKNOWN", "not a registry API path");
        }
        String name = m.group(1);
        boolean manifest = m.group(2).equals("manifests");
        String ref = m.group(3);
        boolean digest = ref.contains(":");
        if (digest && !Digests.isValid(ref)) {
            throw new Refused(400, manifest ? "MANIFEST_INVALID" : "DIGEST_INVALID", "malformed digest");
        }
        if (!manifest && !digest) {
            throw new Refused(400, "DIGEST_INVALID", "a blob is named by its digest");
        }
        return new Route(manifest ? Kind.MANIFEST : Kind.BLOB, image(registry, name, (digest ? "@" : ":") + ref), ref);
    }

    private static ImageReference image(String registry, String name, String suffix) throws Refused {
        ImageReference image;
        try {
            image = ImageReference.parse(registry + "/" + name + suffix);
        } catch (ReferenceException e) {
            throw new Refused(400, suffix.startsWith(":") ? "TAG_INVALID" : "NAME_INVALID",
                    "invalid repository name or reference");
        }
        if (!image.repository().equals(name) && !image.repository().equals("library/" + name)) {
            throw new Refused(400, "NAME_INVALID", "invalid repository name");
        }
        return image;
    }

    boolean byDigest() {
        return reference != null && reference.contains(":");
    }
}
