package dev.jpull.cli.startup;

import com.google.protobuf.Empty;
import dev.jpull.containerd.internal.api.content.ContentGrpc;
import dev.jpull.containerd.internal.api.content.InfoRequest;
import dev.jpull.containerd.internal.api.content.InfoResponse;
import dev.jpull.containerd.internal.api.content.UpdateRequest;
import dev.jpull.containerd.internal.api.content.UpdateResponse;
import dev.jpull.containerd.internal.api.content.WriteAction;
import dev.jpull.containerd.internal.api.content.WriteContentRequest;
import dev.jpull.containerd.internal.api.content.WriteContentResponse;
import dev.jpull.containerd.internal.api.images.CreateImageRequest;
import dev.jpull.containerd.internal.api.images.CreateImageResponse;
import dev.jpull.containerd.internal.api.images.ImagesGrpc;
import dev.jpull.containerd.internal.api.leases.AddResourceRequest;
import dev.jpull.containerd.internal.api.leases.CreateRequest;
import dev.jpull.containerd.internal.api.leases.CreateResponse;
import dev.jpull.containerd.internal.api.leases.DeleteRequest;
import dev.jpull.containerd.internal.api.leases.Lease;
import dev.jpull.containerd.internal.api.leases.LeasesGrpc;
import dev.jpull.containerd.internal.api.version.VersionGrpc;
import dev.jpull.containerd.internal.api.version.VersionResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in containerd for the class-data archive's training run ({@link Training}): just enough of the content,
 * leases, images and version services on a unix socket for {@code pull --containerd SOCKET --no-unpack} to go
 * through its whole client path (channel, streams, stubs, messages), so that a pull into a real containerd starts
 * from the archive too. It stores nothing: content is hashed and forgotten, every blob is "not found".
 */
final class TrainingContainerd implements AutoCloseable {
    private final Server server;
    private final EventLoopGroup group;

    private TrainingContainerd(Server server, EventLoopGroup group) {
        this.server = server;
        this.group = group;
    }

    static TrainingContainerd start(Path socket) throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .bossEventLoopGroup(group).workerEventLoopGroup(group)
                .channelType(EpollServerDomainSocketChannel.class)
                .addService(new VersionGrpc.VersionImplBase() {
                    @Override
                    public void version(Empty request, StreamObserver<VersionResponse> out) {
                        reply(out, VersionResponse.newBuilder().setVersion("training").build());
                    }
                })
                .addService(new LeasesGrpc.LeasesImplBase() {
                    @Override
                    public void create(CreateRequest request, StreamObserver<CreateResponse> out) {
                        reply(out, CreateResponse.newBuilder().setLease(Lease.newBuilder().setId(request.getId()))
                                .build());
                    }

                    @Override
                    public void delete(DeleteRequest request, StreamObserver<Empty> out) {
                        reply(out, Empty.getDefaultInstance());
                    }

                    @Override
                    public void addResource(AddResourceRequest request, StreamObserver<Empty> out) {
                        reply(out, Empty.getDefaultInstance());
                    }
                })
                .addService(new ImagesGrpc.ImagesImplBase() {
                    @Override
                    public void create(CreateImageRequest request, StreamObserver<CreateImageResponse> out) {
                        reply(out, CreateImageResponse.newBuilder().setImage(request.getImage()).build());
                    }
                })
                .addService(new ContentGrpc.ContentImplBase() {
                    @Override
                    public void info(InfoRequest request, StreamObserver<InfoResponse> out) {
                        out.onError(Status.NOT_FOUND.withDescription("training").asRuntimeException());
                    }

                    @Override
                    public void update(UpdateRequest request, StreamObserver<UpdateResponse> out) {
                        reply(out, UpdateResponse.newBuilder().setInfo(request.getInfo()).build());
                    }

                    @Override
                    public StreamObserver<WriteContentRequest> write(StreamObserver<WriteContentResponse> out) {
                        return new Ingest(out);
                    }
                })
                .build().start();
        return new TrainingContainerd(server, group);
    }

    private static <T> void reply(StreamObserver<T> out, T value) {
        out.onNext(value);
        out.onCompleted();
    }

    /** One write stream: answers every message with the offset and the digest of what it received. */
    private static final class Ingest implements StreamObserver<WriteContentRequest> {
        private final StreamObserver<WriteContentResponse> out;
        private final MessageDigest sha256;
        private long offset;
        private boolean done;

        Ingest(StreamObserver<WriteContentResponse> out) {
            this.out = out;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void onNext(WriteContentRequest r) {
            r.getData().asReadOnlyByteBufferList().forEach(sha256::update);
            offset += r.getData().size();
            String digest;
            try {
                digest = "sha256:" + HexFormat.of().formatHex(((MessageDigest) sha256.clone()).digest());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
            out.onNext(WriteContentResponse.newBuilder().setAction(r.getAction()).setOffset(offset)
                    .setDigest(digest).build());
            if (r.getAction() == WriteAction.COMMIT) {
                onCompleted();
            }
        }

        @Override
        public void onError(Throwable t) {
            // the client went away
        }

        @Override
        public void onCompleted() {
            if (!done) {
                done = true;
                out.onCompleted();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
