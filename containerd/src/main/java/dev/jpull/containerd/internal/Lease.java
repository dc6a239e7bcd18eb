package dev.jpull.containerd.internal;

import dev.jpull.containerd.internal.api.leases.AddResourceRequest;
import dev.jpull.containerd.internal.api.leases.CreateRequest;
import dev.jpull.containerd.internal.api.leases.DeleteRequest;
import dev.jpull.containerd.internal.api.leases.Resource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The containerd lease that keeps what pulls write from the garbage collector until their images are recorded:
 * taken by the first of concurrent pulls, released by the last ({@link #acquire}/{@link #release}). Objects that
 * exist already (a blob or snapshot from an earlier pull) are added to it when a pull decides to keep them, as
 * containerd's own writer does. It expires by itself after {@link #EXPIRY} (the {@code containerd.io/gc.expire}
 * label, as {@code ctr pull} sets), so a pull killed with {@code kill -9} leaks nothing for long. Thread-safe.
 */
public final class Lease {
    static final Duration EXPIRY = Duration.ofHours(24);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Connection connection;
    private int users;
    private String id;

    Lease(Connection connection) {
        this.connection = connection;
    }

    public synchronized String acquire() {
        if (users == 0) {
            byte[] b = new byte[8];
            RANDOM.nextBytes(b);
            String leaseId = "jpull-" + System.currentTimeMillis() + "-" + HexFormat.of().formatHex(b);
            String expire = Instant.now().plus(EXPIRY).truncatedTo(ChronoUnit.SECONDS).toString();
            try {
                connection.leases().create(CreateRequest.newBuilder().setId(leaseId)
                        .putLabels("containerd.io/gc.expire", expire).build());
            } catch (StatusRuntimeException e) {
                throw Errors.failed(connection, "creating a lease for the pull", e);
            }
            id = leaseId;
        }
        users++;
        return id;
    }

    public synchronized void release() {
        if (users == 0) {
            return;
        }
        if (--users == 0) {
            String leaseId = id;
            id = null;
            try {
                connection.leases().delete(DeleteRequest.newBuilder().setId(leaseId).build());
            } catch (StatusRuntimeException e) {
                if (!Errors.is(e, Status.Code.NOT_FOUND)) {
                    throw Errors.failed(connection, "ending the pull's lease " + leaseId, e);
                }
            }
        }
    }

    /** The lease pulls write under now, null when no pull runs. */
    synchronized String current() {
        return id;
    }

    /** Keeps existing content {@code digest} under the current lease (no-op without one). */
    void keepContent(String digest) {
        keep(digest, "content");
    }

    /** Keeps the existing snapshot {@code key} of {@code snapshotter} under the current lease. */
    void keepSnapshot(String snapshotter, String key) {
        keep(key, "snapshots/" + snapshotter);
    }

    private void keep(String resourceId, String type) {
        String leaseId = current();
        if (leaseId == null) {
            return;
        }
        try {
            connection.leases().addResource(AddResourceRequest.newBuilder().setId(leaseId)
                    .setResource(Resource.newBuilder().setId(resourceId).setType(type)).build());
        } catch (StatusRuntimeException e) {
            throw Errors.failed(connection, "adding " + resourceId + " to the lease " + leaseId, e);
        }
    }
}
