package dev.jpull.containerd.internal;

import dev.jpull.containerd.ContainerdRefusedException;
import dev.jpull.containerd.internal.api.content.DeleteContentRequest;
import dev.jpull.containerd.internal.api.content.Info;
import dev.jpull.containerd.internal.api.content.InfoRequest;
import dev.jpull.containerd.internal.api.content.ReadContentRequest;
import dev.jpull.containerd.internal.api.content.ReadContentResponse;
import dev.jpull.containerd.internal.api.content.UpdateRequest;
import com.google.protobuf.FieldMask;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/** The content service's unary and read calls, with their errors named: info, labels, bounded reads, delete. */
final class ContentStore {
    /** The largest blob {@link #read} returns: configs and manifests, never layers. */
    static final int MAX_READ = 8 << 20;

    private final Connection connection;
    private final Lease lease;

    ContentStore(Connection connection, Lease lease) {
        this.connection = connection;
        this.lease = lease;
    }

    Optional<Info> info(String digest) {
        try {
            return Optional.of(connection.content(lease.current())
                    .info(InfoRequest.newBuilder().setDigest(digest).build()).getInfo());
        } catch (StatusRuntimeException e) {
            if (Errors.is(e, Status.Code.NOT_FOUND)) {
                return Optional.empty();
            }
            throw Errors.failed(connection, "looking up " + digest, e);
        }
    }

    /** Sets {@code labels} on committed content {@code digest}, leaving its other labels alone. */
    void label(String digest, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return;
        }
        Info.Builder info = Info.newBuilder().setDigest(digest).putAllLabels(labels);
        FieldMask.Builder mask = FieldMask.newBuilder();
        labels.keySet().forEach(k -> mask.addPaths("labels." + k));
        try {
            connection.content(lease.current()).update(UpdateRequest.newBuilder().setInfo(info)
                    .setUpdateMask(mask).build());
        } catch (StatusRuntimeException e) {
            throw Errors.failed(connection, "labelling " + digest, e);
        }
    }

    /** The bytes of {@code digest} when present and at most {@code max} bytes long. */
    Optional<byte[]> read(String digest, long max) {
        Optional<Info> info = info(digest);
        if (info.isEmpty() || info.get().getSize() > max) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) info.get().getSize());
        try {
            Iterator<ReadContentResponse> chunks = connection.content(lease.current())
                    .read(ReadContentRequest.newBuilder().setDigest(digest).build());
            while (chunks.hasNext()) {
                ReadContentResponse chunk = chunks.next();
                if (out.size() + (long) chunk.getData().size() > max) {
                    throw new ContainerdRefusedException("containerd at " + connection.socket() + " sent more than "
                            + max + " bytes for " + digest);
                }
                chunk.getData().writeTo(out);
            }
        } catch (StatusRuntimeException e) {
            if (Errors.is(e, Status.Code.NOT_FOUND)) {
                return Optional.empty();
            }
            throw Errors.failed(connection, "reading " + digest, e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return Optional.of(out.toByteArray());
    }

    /** The digest of everything stored under {@code digest}, read back in full ({@code pull --verify}). */
    String rehash(String digest) {
        String algorithm = digest.substring(0, digest.indexOf(':'));
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(switch (algorithm) {
                case "sha256" -> "SHA-256";
                case "sha384" -> "SHA-384";
                case "sha512" -> "SHA-512";
                default -> throw new IllegalArgumentException("unsupported digest algorithm " + algorithm);
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try {
            Iterator<ReadContentResponse> chunks = connection.content(lease.current())
                    .withDeadlineAfter(Connection.APPLY_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .read(ReadContentRequest.newBuilder().setDigest(digest).build());
            while (chunks.hasNext()) {
                md.update(chunks.next().getData().asReadOnlyByteBuffer());
            }
        } catch (StatusRuntimeException e) {
            throw Errors.failed(connection, "reading " + digest, e);
        }
        return algorithm + ":" + HexFormat.of().formatHex(md.digest());
    }

    void delete(String digest) {
        try {
            connection.content(lease.current()).delete(DeleteContentRequest.newBuilder().setDigest(digest).build());
        } catch (StatusRuntimeException e) {
            if (!Errors.is(e, Status.Code.NOT_FOUND)) {
                throw Errors.failed(connection, "deleting " + digest, e);
            }
        }
    }
}
