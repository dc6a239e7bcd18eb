package dev.jpull.containerd.internal;

import dev.jpull.containerd.ContainerdException;
import dev.jpull.containerd.ContainerdRefusedException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * gRPC failures turned into one-line exceptions that name the socket and say what to do. containerd's own words
 * (the status description) are kept, shortened: they come from another process and are printed escaped by the
 * CLI like everything else.
 */
public final class Errors {
    private static final int MAX_DESCRIPTION = 300;

    private Errors() {
    }

    /**
     * {@code e} while {@code doing} means jpull cannot use this containerd at all (not reachable, not containerd,
     * too old, no permission): a {@link ContainerdException}.
     */
    public static ContainerdException unusable(Connection c, String doing, StatusRuntimeException e) {
        Status s = e.getStatus();
        String at = "containerd at " + c.socket();
        String cause = rootMessage(e);
        return switch (s.getCode()) {
            case UNAVAILABLE -> cause.contains("ermission denied")
                    ? new ContainerdException("permission denied on " + c.socket()
                    + ": containerd's socket is root's; run jpull with sudo (or as a user in the socket's group)", e)
                    : cause.contains("onnection refused") || cause.contains("No such file")
                    ? new ContainerdException("nothing listens on " + c.socket() + " (connection refused) while "
                    + doing + ": is containerd running? (systemctl status containerd, or k3s)", e)
                    : new ContainerdException(c.socket() + " does not answer as containerd does (no gRPC) while "
                    + doing + ": is it containerd's socket? (--containerd ADDRESS)", e);
            case UNIMPLEMENTED -> new ContainerdException(c.socket() + " does not offer " + serviceOf(e)
                    + " (" + describe(s) + "): it is not containerd, or one older than 1.6, which jpull needs", e);
            case PERMISSION_DENIED, UNAUTHENTICATED -> new ContainerdException(at + " refused jpull while " + doing
                    + " (" + describe(s) + "): run jpull as root", e);
            case DEADLINE_EXCEEDED -> new ContainerdException(at + " did not answer within "
                    + Connection.CALL_TIMEOUT.toMinutes() + " min while " + doing + ": check containerd's log", e);
            case INVALID_ARGUMENT -> new ContainerdException(at + " rejected namespace '" + c.namespace()
                    + "' or a request while " + doing + ": " + describe(s), e);
            default -> new ContainerdException(at + " failed while " + doing + ": " + s.getCode() + " "
                    + describe(s), e);
        };
    }

    /**
     * {@code e} while {@code doing} in a pull: the connection problems of {@link #unusable}, or containerd refusing
     * the request ({@link ContainerdRefusedException}).
     */
    public static ContainerdException failed(Connection c, String doing, StatusRuntimeException e) {
        return switch (e.getStatus().getCode()) {
            case UNAVAILABLE, UNIMPLEMENTED, PERMISSION_DENIED, UNAUTHENTICATED, DEADLINE_EXCEEDED ->
                    unusable(c, doing, e);
            default -> new ContainerdRefusedException("containerd at " + c.socket() + " refused " + doing + ": "
                    + e.getStatus().getCode() + " " + describe(e.getStatus()), e);
        };
    }

    public static boolean is(StatusRuntimeException e, Status.Code code) {
        return e.getStatus().getCode() == code;
    }

    static String describe(Status s) {
        String d = s.getDescription() == null ? "" : s.getDescription();
        return d.length() > MAX_DESCRIPTION ? d.substring(0, MAX_DESCRIPTION) + "..." : d;
    }

    private static String serviceOf(StatusRuntimeException e) {
        String d = e.getStatus().getDescription();
        if (d != null) {
            int i = d.indexOf("containerd.services.");
            if (i >= 0) {
                String rest = d.substring(i);
                int end = rest.indexOf('/');
                return "the " + (end > 0 ? rest.substring(0, end) : rest) + " service";
            }
        }
        return "the service jpull needs";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() != null ? t.getMessage() : describe(((StatusRuntimeException) e).getStatus());
        int colon = m.lastIndexOf(": ");
        String shortMessage = colon >= 0 ? m.substring(colon + 2) : m;
        return shortMessage.length() > MAX_DESCRIPTION ? shortMessage.substring(0, MAX_DESCRIPTION) : shortMessage;
    }
}
