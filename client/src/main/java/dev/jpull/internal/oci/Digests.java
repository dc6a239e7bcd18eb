package dev.jpull.internal.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Digest validation and computation. The algorithms are those containerd verifies (go-digest's set, all available
 * in containerd because it links {@code crypto/sha512}): {@code sha256} (64 lowercase hex digits), {@code sha384}
 * (96) and {@code sha512} (128); the OCI image spec registers sha256 and sha512. Anything else is rejected, as
 * containerd rejects it ({@code unsupported digest algorithm}).
 */
public final class Digests {
    /** Algorithm name to its Java name and hex length, in go-digest's order. */
    private static final Map<String, Algorithm> ALGORITHMS = Map.of(
            "sha256", new Algorithm("SHA-256", 64),
            "sha384", new Algorithm("SHA-384", 96),
            "sha512", new Algorithm("SHA-512", 128));
    /** What the errors name as supported. */
    public static final String SUPPORTED = "sha256, sha384 and sha512";

    private record Algorithm(String javaName, int hexLength) {
    }

    private Digests() {
    }

    /** True for a well-formed digest of a supported algorithm ({@code sha256:<64 lowercase hex>}, ...). */
    public static boolean isValid(String digest) {
        return problem(digest) == null;
    }

    /**
     * What is wrong with {@code digest} in a user's words ({@code unsupported digest algorithm "md5" ...},
     * {@code sha512 needs exactly 128 lowercase hex digits}), or null when it is valid.
     */
    public static String problem(String digest) {
        if (digest == null) {
            return "no digest";
        }
        int colon = digest.indexOf(':');
        if (colon <= 0) {
            return "not a digest (expected ALGORITHM:HEX, e.g. sha256: followed by 64 lowercase hex digits)";
        }
        String name = digest.substring(0, colon);
        Algorithm algorithm = ALGORITHMS.get(name);
        if (algorithm == null) {
            return "unsupported digest algorithm \"" + name + "\" (jpull, like containerd, verifies " + SUPPORTED
                    + ")";
        }
        String hex = digest.substring(colon + 1);
        if (hex.length() != algorithm.hexLength() || !lowerHex(hex)) {
            return name + " needs exactly " + algorithm.hexLength() + " lowercase hex digits";
        }
        return null;
    }

    private static boolean lowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Returns {@code digest} when valid, else throws {@link IllegalArgumentException} naming it. */
    public static String requireValid(String digest) {
        String problem = problem(digest);
        if (problem != null) {
            throw new IllegalArgumentException("invalid or unsupported digest " + digest + ": " + problem);
        }
        return digest;
    }

    /** The algorithm of a valid digest: {@code sha256}, {@code sha384} or {@code sha512}. */
    public static String algorithm(String digest) {
        return requireValid(digest).substring(0, digest.indexOf(':'));
    }

    /** The hex part of a valid digest. */
    public static String hex(String digest) {
        return requireValid(digest).substring(digest.indexOf(':') + 1);
    }

    /** A new hash of the algorithm {@code digest} (a valid digest) is written in. */
    public static MessageDigest newDigest(String digest) {
        return newHash(algorithm(digest));
    }

    public static MessageDigest newSha256() {
        return newHash("sha256");
    }

    private static MessageDigest newHash(String algorithm) {
        try {
            return MessageDigest.getInstance(ALGORITHMS.get(algorithm).javaName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    /** The digest of {@code bytes} in the algorithm of {@code like} (a valid digest), for comparing with it. */
    public static String sameAlgorithm(String like, byte[] bytes) {
        return compute(algorithm(like), bytes);
    }

    /** The digest of {@code bytes} with {@code algorithm} ({@code sha256}, {@code sha384} or {@code sha512}). */
    public static String compute(String algorithm, byte[] bytes) {
        if (!ALGORITHMS.containsKey(algorithm)) {
            throw new IllegalArgumentException(problem(algorithm + ":"));
        }
        return algorithm + ":" + HexFormat.of().formatHex(newHash(algorithm).digest(bytes));
    }

    /** The finished digest of {@code md} (one made by {@link #newDigest} or {@link #newSha256}). */
    public static String of(MessageDigest md) {
        String name = md.getAlgorithm().toLowerCase(java.util.Locale.ROOT).replace("-", "");
        if (!ALGORITHMS.containsKey(name)) {
            throw new IllegalArgumentException("not a digest algorithm of jpull: " + md.getAlgorithm());
        }
        return name + ":" + HexFormat.of().formatHex(md.digest());
    }
}
