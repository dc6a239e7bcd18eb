package dev.jpull.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Digest validation and computation. Only {@code sha256} is verifiable; anything else is rejected. */
public final class Digests {
    private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");

    private Digests() {
    }

    /** True for a well-formed {@code sha256:<64 lowercase hex>} digest. */
    public static boolean isValid(String digest) {
        return digest != null && SHA256.matcher(digest).matches();
    }

    /** Returns {@code digest} when valid, else throws {@link IllegalArgumentException} naming it. */
    public static String requireValid(String digest) {
        if (!isValid(digest)) {
            throw new IllegalArgumentException("invalid or unsupported digest: " + digest);
        }
        return digest;
    }

    /** The hex part of a valid digest. */
    public static String hex(String digest) {
        return requireValid(digest).substring("sha256:".length());
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    public static String of(MessageDigest md) {
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }
}
