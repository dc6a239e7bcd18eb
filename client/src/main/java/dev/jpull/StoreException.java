package dev.jpull;

/**
 * The store cannot be used: its directory cannot be created or written, a file in it cannot be read or written
 * (permission denied, disk full), is corrupt ({@code index.json} that is not an OCI index, larger than jpull
 * reads), or is not what jpull put there (a symbolic link, a directory where a file belongs, a file of another
 * owner, a world-writable directory). The message names the file and what to do.
 */
public final class StoreException extends DestinationException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
