package dev.jpull;

/**
 * The store cannot be used: a file in it cannot be read or written (permission denied, disk full), is corrupt
 * ({@code index.json} that is not an OCI index, larger than jpull reads), or is not what jpull put there (a
 * symbolic link, a directory where a file belongs, a file of another owner, a world-writable directory). The
 * message names the file and what to do. Exit code 2, like any other problem with the environment jpull was
 * given: the endpoints are not at fault, and pulling again without fixing the store would fail the same way.
 */
public final class StoreException extends JpullException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return 2;
    }
}
