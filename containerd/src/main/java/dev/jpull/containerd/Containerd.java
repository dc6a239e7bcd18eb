package dev.jpull.containerd;

import dev.jpull.ImageSummary;
import dev.jpull.RemovedImage;
import dev.jpull.containerd.internal.Connection;
import dev.jpull.containerd.internal.Images;
import dev.jpull.containerd.internal.Unpacker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A connection to one containerd (its gRPC API on a unix socket) in one namespace: the
 * {@link #destination destination} of pulls, and the namespace's {@link #images images} and {@link #remove image
 * records}. {@link #connect} asks containerd's version first, so a missing socket, a permission problem or
 * something that is not containerd fails there, with a message that names the socket and what to do
 * ({@link ContainerdException}). Thread-safe; {@link #close} it when done.
 */
public final class Containerd implements AutoCloseable {
    /** kubelet's namespace: images pulled there are the ones pods run. */
    public static final String DEFAULT_NAMESPACE = "k8s.io";
    /** The snapshotter K3s and containerd use by default. */
    public static final String DEFAULT_SNAPSHOTTER = "overlayfs";
    /** K3s's embedded containerd. */
    public static final Path K3S_SOCKET = Path.of("/run/k3s/containerd/containerd.sock");
    /** A packaged containerd's socket. */
    public static final Path SOCKET = Path.of("/run/containerd/containerd.sock");

    // containerd's namespace rule (namespaces.Validate): labels of letters and digits joined by '.', '_' or '-'
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*");
    private static final int MAX_NAMESPACE = 76;

    private final Connection connection;

    private Containerd(Connection connection) {
        this.connection = connection;
    }

    /**
     * The socket to use when none is named: {@code $CONTAINERD_ADDRESS} (a path, or {@code unix://PATH}), else
     * K3s's socket when it exists, else {@code /run/containerd/containerd.sock}.
     */
    public static Path defaultSocket(Function<String, String> env) {
        String address = env.apply("CONTAINERD_ADDRESS");
        if (address != null && !address.isBlank()) {
            return socketOf(address);
        }
        return Files.exists(K3S_SOCKET) ? K3S_SOCKET : SOCKET;
    }

    /** {@code $CONTAINERD_NAMESPACE}, else {@value #DEFAULT_NAMESPACE}. */
    public static String defaultNamespace(Function<String, String> env) {
        String ns = env.apply("CONTAINERD_NAMESPACE");
        return ns == null || ns.isBlank() ? DEFAULT_NAMESPACE : ns;
    }

    /** {@code /path}, {@code unix:///path} or {@code unix:/path} as a socket path. */
    public static Path socketOf(String address) {
        String a = address.strip();
        if (a.startsWith("unix://")) {
            a = a.substring("unix://".length());
        } else if (a.startsWith("unix:")) {
            a = a.substring("unix:".length());
        }
        if (a.isEmpty() || a.contains("://") || a.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("containerd address '" + address
                    + "' is not a unix socket path (e.g. /run/containerd/containerd.sock)");
        }
        return Path.of(a);
    }

    /** Throws {@link IllegalArgumentException} naming the rule when {@code namespace} is not a containerd namespace. */
    public static String checkNamespace(String namespace) {
        if (namespace == null || namespace.length() > MAX_NAMESPACE || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace '" + namespace + "' is not valid for containerd: letters"
                    + " and digits, joined by '.', '_' or '-', at most " + MAX_NAMESPACE + " characters (e.g. k8s.io)");
        }
        return namespace;
    }

    /** Connects to the containerd at {@code socket}, in {@code namespace} (checked with {@link #checkNamespace}). */
    public static Containerd connect(Path socket, String namespace) {
        Objects.requireNonNull(socket, "socket");
        return new Containerd(Connection.open(socket, checkNamespace(namespace)));
    }

    /** containerd's version, e.g. {@code 1.6.20~ds1}. */
    public String version() {
        return connection.version();
    }

    /**
     * A destination that pulls into this containerd, unpacking into {@code snapshotter} when {@code unpack}; a
     * snapshotter containerd does not have fails here, before anything is downloaded.
     */
    public ContainerdDestination destination(String snapshotter, boolean unpack) {
        Objects.requireNonNull(snapshotter, "snapshotter");
        if (unpack) {
            Unpacker.check(connection, snapshotter);
        }
        return new ContainerdDestination(connection, snapshotter, unpack);
    }

    /** The namespace's images, one row per reference name, sorted. */
    public List<ImageSummary> images() {
        return new Images(connection).list();
    }

    /**
     * Removes the image record named {@code image} (normalised as for a pull), and, once no tag names its target any
     * more, the {@code name@digest} and {@code sha256:<id>} names a CRI pull gave it too, as {@code crictl rmi} does.
     * containerd's garbage collector removes the content and snapshots nothing references any more.
     *
     * @throws dev.jpull.NoSuchImageException when the namespace has no such image
     */
    public RemovedImage remove(String image) {
        return new Images(connection).remove(image);
    }

    public Path socket() {
        return connection.socket();
    }

    public String namespace() {
        return connection.namespace();
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "containerd://" + connection.socket() + "?namespace=" + connection.namespace();
    }
}
