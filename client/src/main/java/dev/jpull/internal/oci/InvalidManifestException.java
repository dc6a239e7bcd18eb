package dev.jpull.internal.oci;

/**
 * A manifest or index that is not what the OCI image spec and containerd accept; the message says what is wrong in
 * the manifest's own terms ({@code layers[2].size: expected an integer (int64), got a string "1093602"}), one line.
 */
public final class InvalidManifestException extends Exception {
    public InvalidManifestException(String message) {
        super(message);
    }
}
