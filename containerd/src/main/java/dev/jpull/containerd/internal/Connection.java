package dev.jpull.containerd.internal;

import dev.jpull.containerd.ContainerdException;
import dev.jpull.containerd.internal.api.content.ContentGrpc;
import dev.jpull.containerd.internal.api.diff.DiffGrpc;
import dev.jpull.containerd.internal.api.images.ImagesGrpc;
import dev.jpull.containerd.internal.api.leases.LeasesGrpc;
import dev.jpull.containerd.internal.api.snapshots.SnapshotsGrpc;
import dev.jpull.containerd.internal.api.version.VersionGrpc;
import dev.jpull.containerd.internal.api.version.VersionResponse;
import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel to containerd over its unix socket (netty's epoll transport), and the stubs of the services
 * jpull calls, each carrying the {@code containerd-namespace} header and, while a pull holds one, the
 * {@code containerd-lease} header. Every unary call has a deadline ({@link #CALL_TIMEOUT}; an unpack gets
 * {@link #APPLY_TIMEOUT}), so a containerd that stops answering fails the pull instead of hanging it.
 * Thread-safe.
 */
public final class Connection implements AutoCloseable {
    /** The longest jpull waits for one call (a write of one chunk, an image record). */
    public static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);
    /** The longest one layer's unpack may take. */
    public static final Duration APPLY_TIMEOUT = Duration.ofMinutes(30);

    private static final Metadata.Key<String> NAMESPACE =
            Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> LEASE =
            Metadata.Key.of("containerd-lease", Metadata.ASCII_STRING_MARSHALLER);

    // netty warns on stderr that a unix socket has no SO_KEEPALIVE, which gRPC always sets: not worth a line
    private static final java.util.logging.Logger BOOTSTRAP_LOG = quiet(
            "io.grpc.netty.shaded.io.netty.bootstrap");

    private final Path socket;
    private final String namespace;
    private final EventLoopGroup group;
    private final ManagedChannel channel;

    private Connection(Path socket, String namespace, EventLoopGroup group, ManagedChannel channel) {
        this.socket = socket;
        this.namespace = namespace;
        this.group = group;
        this.channel = channel;
    }

    /**
     * Connects to the containerd at {@code socket} and asks its version, so that a missing socket, a permission
     * problem or something that is not containerd is reported here, by name, before a pull starts.
     */
    public static Connection open(Path socket, String namespace) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS) && !Files.exists(socket)) {
            throw new ContainerdException("no containerd socket at " + socket + ": start containerd (or k3s), or"
                    + " name its socket with --containerd ADDRESS or $CONTAINERD_ADDRESS");
        }
        if (!Files.isReadable(socket) || !Files.isWritable(socket)) {
            throw new ContainerdException("permission denied on " + socket + ": containerd's socket is root's;"
                    + " run jpull with sudo (or as a user in the socket's group)");
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("jpull-containerd", true), EpollIoHandler.newFactory());
        ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(group)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                .overrideAuthority("localhost")
                .maxInboundMessageSize(16 << 20)
                .build();
        Connection c = new Connection(socket, namespace, group, channel);
        try {
            c.version();
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** containerd's version string ({@code 1.6.20~ds1}); fails naming the socket when it is not containerd. */
    public String version() {
        try {
            VersionResponse v = deadline(VersionGrpc.newBlockingStub(channel), CALL_TIMEOUT)
                    .version(Empty.getDefaultInstance());
            return v.getVersion();
        } catch (StatusRuntimeException e) {
            throw Errors.unusable(this, "asking its version", e);
        }
    }

    public Path socket() {
        return socket;
    }

    public String namespace() {
        return namespace;
    }

    public ContentGrpc.ContentBlockingStub content(String lease) {
        return deadline(ContentGrpc.newBlockingStub(channel), CALL_TIMEOUT, lease);
    }

    public ContentGrpc.ContentStub contentStreams(String lease) {
        return headers(ContentGrpc.newStub(channel), lease);
    }

    public ImagesGrpc.ImagesBlockingStub images() {
        return deadline(ImagesGrpc.newBlockingStub(channel), CALL_TIMEOUT, null);
    }

    public LeasesGrpc.LeasesBlockingStub leases() {
        return deadline(LeasesGrpc.newBlockingStub(channel), CALL_TIMEOUT, null);
    }

    public SnapshotsGrpc.SnapshotsBlockingStub snapshots(String lease) {
        return deadline(SnapshotsGrpc.newBlockingStub(channel), CALL_TIMEOUT, lease);
    }

    public DiffGrpc.DiffBlockingStub diff(String lease) {
        return deadline(DiffGrpc.newBlockingStub(channel), APPLY_TIMEOUT, lease);
    }

    private <S extends AbstractStub<S>> S deadline(S stub, Duration timeout) {
        return deadline(stub, timeout, null);
    }

    private <S extends AbstractStub<S>> S deadline(S stub, Duration timeout, String lease) {
        return headers(stub, lease).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private <S extends AbstractStub<S>> S headers(S stub, String lease) {
        Metadata md = new Metadata();
        md.put(NAMESPACE, namespace);
        if (lease != null) {
            md.put(LEASE, lease);
        }
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "containerd at " + socket + " (namespace " + namespace + ")";
    }
}
