package dev.jpull.cli.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Function;

/**
 * Where the daemon's socket is and how it is made. The default, which the launcher computes the same way:
 * {@code $JPULL_DAEMON_SOCKET}; else {@code $XDG_RUNTIME_DIR/jpull/daemon.sock}; else, for root,
 * {@code /run/jpull/daemon.sock}. The directory is made mode 0700 when missing, and must be this user's and
 * writable by nobody else when it exists; the socket is mode 0600; a socket left by a daemon that is gone is
 * replaced, a live one is not, and anything else at that path is an error.
 */
public final class ControlSocket {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private ControlSocket() {
    }

    /** The default socket for environment {@code env} and user {@code uid}, or null when there is none. */
    public static Path defaultPath(Function<String, String> env, int uid) {
        String explicit = env.apply("JPULL_DAEMON_SOCKET");
        if (explicit != null && !explicit.isEmpty()) {
            return Path.of(explicit);
        }
        String runtime = env.apply("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/")) {
            return Path.of(runtime, "jpull", "daemon.sock");
        }
        return uid == 0 ? Path.of("/run/jpull/daemon.sock") : null;
    }

    /**
     * Binds {@code socket}; throws IllegalArgumentException naming what is wrong with the path (not absolute, a
     * directory that is not safe, a daemon already listening there, a file that is not a socket).
     */
    static ServerSocketChannel bind(Path socket) {
        if (!socket.isAbsolute() || socket.getParent() == null) {
            throw new IllegalArgumentException(socket + " is not an absolute path");
        }
        Path dir = socket.getParent();
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            checkDirectory(dir);
            if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                BasicFileAttributes a = Files.readAttributes(socket, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (!a.isOther()) {
                    throw new IllegalArgumentException(socket + " exists and is not a socket");
                }
                if (live(socket)) {
                    throw new IllegalArgumentException("a daemon is already listening on " + socket);
                }
                Files.delete(socket); // left by a daemon that is gone
            }
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                server.bind(UnixDomainSocketAddress.of(socket));
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(socket + ": " + e.getMessage(), e);
        }
    }

    /** This user's, a directory (not a link), and writable by nobody else. */
    private static void checkDirectory(Path dir) throws IOException {
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory()) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        if (!a.owner().equals(Files.getOwner(Path.of("/proc/self")))) {
            throw new IllegalArgumentException(dir + " belongs to " + a.owner().getName() + ", not to this user");
        }
        Set<PosixFilePermission> p = a.permissions();
        if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IllegalArgumentException(dir + " is writable by other users (mode "
                    + PosixFilePermissions.toString(p) + "): make it 0700 or use another --socket");
        }
    }

    private static boolean live(Path socket) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return ch.isConnected();
        } catch (IOException e) {
            return false;
        }
    }
}
