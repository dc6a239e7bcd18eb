package dev.jpull.internal.reference;

import dev.jpull.ImageReference;

import dev.jpull.ReferenceException;
import dev.jpull.internal.oci.Digests;
import java.util.regex.Pattern;

/**
 * Parses image references with the grammar and normalisation of distribution/reference {@code ParseDockerRef}:
 * Docker Hub defaulting ({@code docker.io}, {@code library/}), default tag {@code latest}, tag dropped when a
 * digest is also given.
 */
public final class ReferenceParser {
    static final String DOCKER_HUB = "docker.io";
    private static final String LEGACY_DOCKER_HUB = "index.docker.io";
    private static final String OFFICIAL_PREFIX = "library/";
    private static final int MAX_PATH_LENGTH = 255;

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern PATH = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST_SYNTAX = Pattern.compile(
            "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
    private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");

    private ReferenceParser() {
    }

    public static ImageReference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new ReferenceException(String.valueOf(text), "reference is empty");
        }
        if (IMAGE_ID.matcher(text).matches()) {
            throw new ReferenceException(text,
                    "a 64-character hexadecimal string is not a repository name (it looks like an image ID)");
        }
        String[] split = splitDomain(text);
        String domain = split[0];
        String remainder = split[1];

        String digest = null;
        int at = remainder.indexOf('@');
        if (at >= 0) {
            digest = remainder.substring(at + 1);
            remainder = remainder.substring(0, at);
        }
        String tag = null;
        int colon = remainder.lastIndexOf(':');
        if (colon >= 0) {
            tag = remainder.substring(colon + 1);
            remainder = remainder.substring(0, colon);
        }
        String path = remainder;

        if (!path.equals(path.toLowerCase(java.util.Locale.ROOT))) {
            throw new ReferenceException(text, "repository name must be lowercase");
        }
        if (!DOMAIN.matcher(domain).matches()) {
            throw new ReferenceException(text, "invalid registry host \"" + domain + "\"");
        }
        if (path.isEmpty()) {
            throw new ReferenceException(text, "repository name is empty");
        }
        if (!PATH.matcher(path).matches()) {
            throw new ReferenceException(text, "invalid repository name \"" + path
                    + "\" (components of a-z, 0-9 separated by '.', '_', '__' or '-', joined by '/')");
        }
        if (path.length() > MAX_PATH_LENGTH) {
            throw new ReferenceException(text, "repository name must not be more than " + MAX_PATH_LENGTH
                    + " characters");
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new ReferenceException(text, "invalid tag \"" + tag
                    + "\" (1-128 characters of A-Z, a-z, 0-9, '_', '.', '-', not starting with '.' or '-')");
        }
        if (digest != null) {
            checkDigest(text, digest);
            tag = null;
        } else if (tag == null) {
            tag = "latest";
        }
        return new ImageReference(domain, path, tag, digest);
    }

    /** distribution/reference {@code splitDockerDomain}: returns {domain, remainder}. */
    private static String[] splitDomain(String name) {
        int slash = name.indexOf('/');
        String domain;
        String remainder;
        if (slash < 0 || !looksLikeDomain(name.substring(0, slash))) {
            domain = DOCKER_HUB;
            remainder = name;
        } else {
            domain = name.substring(0, slash);
            remainder = name.substring(slash + 1);
        }
        if (domain.equals(LEGACY_DOCKER_HUB)) {
            domain = DOCKER_HUB;
        }
        if (domain.equals(DOCKER_HUB) && remainder.indexOf('/') < 0) {
            remainder = OFFICIAL_PREFIX + remainder;
        }
        return new String[] {domain, remainder};
    }

    private static boolean looksLikeDomain(String first) {
        return first.indexOf('.') >= 0 || first.indexOf(':') >= 0 || first.equals("localhost")
                || !first.equals(first.toLowerCase(java.util.Locale.ROOT));
    }

    private static void checkDigest(String text, String digest) {
        if (!DIGEST_SYNTAX.matcher(digest).matches()) {
            throw new ReferenceException(text, "invalid digest \"" + digest
                    + "\" (expected sha256: followed by 64 lowercase hex digits, or sha384:/sha512: with 96/128)");
        }
        String problem = Digests.problem(digest);
        if (problem != null && problem.startsWith("unsupported")) {
            throw new ReferenceException(text, problem);
        }
        if (problem != null) {
            throw new ReferenceException(text, "invalid digest \"" + digest + "\" (" + problem + ")");
        }
    }
}
