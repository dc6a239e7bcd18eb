package dev.jpull.containerd.internal;

import dev.jpull.containerd.ContainerdRefusedException;
import dev.jpull.containerd.internal.api.diff.ApplyRequest;
import dev.jpull.containerd.internal.api.snapshots.CommitSnapshotRequest;
import dev.jpull.containerd.internal.api.snapshots.PrepareSnapshotRequest;
import dev.jpull.containerd.internal.api.snapshots.RemoveSnapshotRequest;
import dev.jpull.containerd.internal.api.snapshots.StatSnapshotRequest;
import dev.jpull.containerd.internal.api.types.Descriptor;
import dev.jpull.containerd.internal.api.types.Mount;
import dev.jpull.spi.BlobDescriptor;
import dev.jpull.spi.PulledImage;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Unpacks a pulled image into a snapshotter layer by layer, as containerd's own unpacker does
 * ({@code rootfs.ApplyLayerWithOpts}): the snapshot of each layer is named by its chain ID (from the config's
 * {@code rootfs.diff_ids}); one that exists is kept (added to the lease) and not unpacked again; a missing one is
 * prepared on its parent under a unique {@code extract-...} key, the layer is applied to its mounts by the diff
 * service, the digest containerd computed of the uncompressed layer must be the diff ID, and the snapshot is
 * committed under the chain ID. Finally the config gets the {@code containerd.io/gc.ref.snapshot.<snapshotter>}
 * label, so containerd's garbage collector keeps the unpacked chain as long as the image.
 */
public final class Unpacker {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SNAPSHOT_REF = "containerd.io/snapshot.ref";

    private final Connection connection;
    private final Lease lease;
    private final ContentStore content;
    private final String snapshotter;

    Unpacker(Connection connection, Lease lease, ContentStore content, String snapshotter) {
        this.connection = connection;
        this.lease = lease;
        this.content = content;
        this.snapshotter = snapshotter;
    }

    /**
     * Fails with a {@link dev.jpull.containerd.ContainerdException} naming the snapshotter when containerd has no
     * snapshotter of that name: checked before a pull downloads anything.
     */
    public static void check(Connection connection, String snapshotter) {
        try {
            connection.snapshots(null).stat(StatSnapshotRequest.newBuilder().setSnapshotter(snapshotter)
                    .setKey("jpull-probe-" + System.nanoTime()).build());
        } catch (StatusRuntimeException e) {
            if (Errors.is(e, Status.Code.NOT_FOUND)) {
                return; // the snapshotter answered: there is no such snapshot
            }
            if (Errors.is(e, Status.Code.INVALID_ARGUMENT)) {
                throw new dev.jpull.containerd.ContainerdException("containerd at " + connection.socket()
                        + " has no snapshotter '" + snapshotter + "' (" + Errors.describe(e.getStatus())
                        + "): name one with --snapshotter (overlayfs, native), or pull with --no-unpack", e);
            }
            throw Errors.unusable(connection, "checking the snapshotter " + snapshotter, e);
        }
    }

    /** Unpacks {@code image} and returns the chain ID of its top layer. */
    String unpack(PulledImage image) {
        byte[] config = content.read(image.config().digest(), ContentStore.MAX_READ).orElseThrow(() ->
                new ContainerdRefusedException("containerd at " + connection.socket() + " does not hold the config "
                        + image.config().digest() + " it just committed"));
        List<String> diffIds = ImageConfigs.diffIds(config, image.config().digest());
        if (diffIds.size() != image.layers().size()) {
            throw new ContainerdRefusedException("cannot unpack " + image.reference() + ": its config lists "
                    + diffIds.size() + " diff_ids for " + image.layers().size() + " layers");
        }
        String parent = "";
        for (int i = 0; i < diffIds.size(); i++) {
            String chainId = i == 0 ? diffIds.get(0) : chainId(parent, diffIds.get(i));
            if (exists(chainId)) {
                lease.keepSnapshot(snapshotter, chainId);
            } else {
                apply(image.layers().get(i), diffIds.get(i), chainId, parent);
            }
            parent = chainId;
        }
        content.label(image.config().digest(), Map.of("containerd.io/gc.ref.snapshot." + snapshotter, parent));
        return parent;
    }

    private void apply(BlobDescriptor layer, String diffId, String chainId, String parent) {
        byte[] unique = new byte[6];
        RANDOM.nextBytes(unique);
        String key = "extract-" + System.nanoTime() + "-" + HexFormat.of().formatHex(unique) + " " + chainId;
        String leaseId = lease.current();
        List<Mount> mounts;
        try {
            mounts = connection.snapshots(leaseId).prepare(PrepareSnapshotRequest.newBuilder()
                    .setSnapshotter(snapshotter).setKey(key).setParent(parent).putLabels(SNAPSHOT_REF, chainId)
                    .build()).getMountsList();
        } catch (StatusRuntimeException e) {
            throw Errors.failed(connection, "preparing a snapshot to unpack " + layer.digest(), e);
        }
        boolean committed = false;
        try {
            Descriptor applied;
            try {
                applied = connection.diff(leaseId).apply(ApplyRequest.newBuilder()
                        .setDiff(Descriptor.newBuilder().setMediaType(layer.mediaType() == null ? ""
                                : layer.mediaType()).setDigest(layer.digest()).setSize(layer.size()))
                        .addAllMounts(mounts).build()).getApplied();
            } catch (StatusRuntimeException e) {
                throw Errors.failed(connection, "unpacking " + layer.digest(), e);
            }
            if (!diffId.equals(applied.getDigest())) {
                throw new ContainerdRefusedException("layer " + layer.digest() + " unpacks to "
                        + applied.getDigest() + ", but the image config says " + diffId + ": the image is broken");
            }
            try {
                connection.snapshots(leaseId).commit(CommitSnapshotRequest.newBuilder().setSnapshotter(snapshotter)
                        .setName(chainId).setKey(key).putLabels(SNAPSHOT_REF, chainId).build());
                committed = true;
            } catch (StatusRuntimeException e) {
                if (!Errors.is(e, Status.Code.ALREADY_EXISTS)) { // else: a concurrent unpack committed it first
                    throw Errors.failed(connection, "committing the snapshot " + chainId, e);
                }
            }
            content.label(layer.digest(), Map.of("containerd.io/uncompressed", diffId));
        } finally {
            if (!committed) {
                remove(key);
            }
        }
    }

    private boolean exists(String chainId) {
        try {
            connection.snapshots(lease.current()).stat(StatSnapshotRequest.newBuilder().setSnapshotter(snapshotter)
                    .setKey(chainId).build());
            return true;
        } catch (StatusRuntimeException e) {
            if (Errors.is(e, Status.Code.NOT_FOUND)) {
                return false;
            }
            throw Errors.failed(connection, "looking up the snapshot " + chainId + " in snapshotter " + snapshotter,
                    e);
        }
    }

    private void remove(String key) {
        try {
            connection.snapshots(lease.current()).remove(RemoveSnapshotRequest.newBuilder()
                    .setSnapshotter(snapshotter).setKey(key).build());
        } catch (StatusRuntimeException ignored) {
            // the unpack already failed; the lease's expiry collects what is left
        }
    }

    /** containerd's chain ID: {@code sha256(parent + " " + diffId)}. */
    static String chainId(String parent, String diffId) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] hash = md.digest((parent + " " + diffId).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
