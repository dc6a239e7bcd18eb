package dev.jpull.containerd;

/**
 * containerd answered but refused part of a pull: a commit it did not accept (size or digest), a layer it could not
 * unpack, an image record it would not write. The pull failed (the CLI exits 1); running it again retries the part
 * that was refused, and the message says what containerd said.
 */
public class ContainerdRefusedException extends ContainerdException {
    public ContainerdRefusedException(String message) {
        super(message);
    }

    public ContainerdRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
