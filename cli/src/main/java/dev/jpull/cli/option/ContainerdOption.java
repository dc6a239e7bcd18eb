package dev.jpull.cli.option;

import dev.jpull.cli.command.UsageException;
import dev.jpull.cli.startup.ArgumentTable;
import dev.jpull.containerd.Containerd;
import java.nio.file.Path;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --containerd [ADDRESS]} and {@code --namespace NS}, declared once for {@code pull}, {@code images} and
 * {@code rmi} (a mixin): work on containerd's image store instead of jpull's own. {@code $JPULL_DESTINATION}
 * ({@code containerd}, {@code containerd:SOCKET} or {@code store}) makes containerd the default on a node; an
 * explicit {@code --store} still wins. Nothing of containerd's gRPC client is loaded unless containerd is the
 * target.
 */
public final class ContainerdOption {
    /** The environment variable that sets the default destination. */
    public static final String DESTINATION_VARIABLE = "JPULL_DESTINATION";
    /** The value of {@link #DESTINATION_VARIABLE} that makes containerd's default socket the destination. */
    public static final String CONTAINERD = "containerd";

    @Option(names = "--containerd", arity = "0..1", paramLabel = "ADDRESS", parameterConsumer = AddressConsumer.class,
            description = "Work on containerd's image store, as crictl does: the socket ADDRESS (a path), default "
                    + "$CONTAINERD_ADDRESS, else /run/k3s/containerd/containerd.sock when it exists, else "
                    + "/run/containerd/containerd.sock. $JPULL_DESTINATION=containerd makes it the default.")
    public String containerd;

    @Option(names = "--namespace", paramLabel = "NS",
            description = "containerd namespace. Default: $CONTAINERD_NAMESPACE, else k8s.io (kubelet's).")
    public String namespace;

    /** Options holding {@code containerd} and {@code namespace}, as if picocli had parsed them. */
    public static ContainerdOption of(String containerd, String namespace) {
        ContainerdOption o = new ContainerdOption();
        o.containerd = containerd;
        o.namespace = namespace;
        return o;
    }

    /**
     * A containerd socket and namespace.
     *
     * @param socket    the unix socket
     * @param namespace the namespace (checked when connecting)
     */
    public record Target(Path socket, String namespace) {
        /** {@code containerd://SOCKET?namespace=NS}. */
        @Override
        public String toString() {
            return "containerd://" + socket + "?namespace=" + namespace;
        }
    }

    /**
     * The containerd this command works on, or null for jpull's store: {@code --containerd}, else
     * {@code $JPULL_DESTINATION} unless {@code storeGiven} ({@code --store} on the command line).
     */
    public Target target(Env env, boolean storeGiven) {
        String address = containerd;
        if (address != null && storeGiven) {
            throw new UsageException("--containerd and --store cannot be used together: choose one destination");
        }
        if (address == null && !storeGiven) {
            address = fromEnvironment(env);
        }
        if (address == null) {
            if (namespace != null) {
                throw new UsageException("--namespace needs --containerd (jpull's store has no namespaces)");
            }
            return null;
        }
        try {
            Path socket = address.isEmpty() ? Containerd.defaultSocket(env::get) : Containerd.socketOf(address);
            String ns = namespace != null ? namespace : Containerd.defaultNamespace(env::get);
            return new Target(socket, Containerd.checkNamespace(ns));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** {@code $JPULL_DESTINATION}: "" for containerd's default socket, a socket path, or null for the store. */
    static String fromEnvironment(Env env) {
        String d = env.get(DESTINATION_VARIABLE);
        if (d == null || d.equals("store")) {
            return null;
        }
        if (d.equals(CONTAINERD)) {
            return "";
        }
        if (d.startsWith(CONTAINERD + ":")) {
            String rest = d.substring(CONTAINERD.length() + 1);
            return rest.startsWith("//") && !rest.startsWith("///") ? rest.substring(2) : rest;
        }
        throw new UsageException("$" + DESTINATION_VARIABLE + "=" + d + " is not a destination: use store, "
                + "containerd or containerd:SOCKET");
    }

    /**
     * Takes the next argument as ADDRESS only when it looks like a socket path
     * ({@link ArgumentTable#looksLikeSocket}), so that {@code jpull pull --containerd IMAGE} keeps IMAGE.
     */
    public static final class AddressConsumer implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            if (!args.isEmpty() && ArgumentTable.looksLikeSocket(args.peek())) {
                argSpec.setValue(args.pop());
            } else {
                argSpec.setValue("");
            }
        }
    }
}
