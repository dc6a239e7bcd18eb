package dev.jpull.cli;

import dev.jpull.testdata.ClosedPort;
import dev.jpull.testdata.Fault;
import dev.jpull.testdata.FaultProxy;
import dev.jpull.testdata.RegistryFixture;

/**
 * The first endpoints of issue 13's fault matrix, each in front of (or instead of) the real registry, which stays
 * the second endpoint: nothing, a closed port, an endpoint that never answers, one that corrupts, truncates or
 * stalls in the middle of the image's largest layer, and one that answers every request with 500 or 429.
 */
enum FaultCase {
    REGISTRY_ALONE("the real registry alone", null, false),
    CLOSED_PORT("closed port, then the registry", null, false),
    NEVER_ANSWERS("never-answering endpoint, then the registry", Fault.NEVER_ANSWER, false),
    CORRUPT_LAYER("corrupt layer (one byte flipped), then the registry", Fault.CORRUPT_BODY, true),
    TRUNCATED_LAYER("truncated layer (half, then FIN), then the registry", Fault.TRUNCATE_BODY, true),
    STALLED_LAYER("layer stalling half way (socket open), then the registry", Fault.STALL_MID_BODY, true),
    SERVER_ERROR("500 on every request, then the registry", Fault.SERVER_ERROR, false),
    THROTTLED("429 on every request, then the registry", Fault.TOO_MANY_REQUESTS, false);

    private final String label;
    private final Fault fault;
    private final boolean layerOnly;

    FaultCase(String label, Fault fault, boolean layerOnly) {
        this.label = label;
        this.fault = fault;
        this.layerOnly = layerOnly;
    }

    String label() {
        return label;
    }

    /**
     * The registry name containerd and jpull see for this case, {@code 127.0.1.<11 + ordinal>:9}: an address on
     * loopback where nothing listens, so that no name is ever looked up in DNS and a fallback to the registry's own
     * default endpoint (which a valid hosts.toml never takes) could not leave the machine.
     */
    String registryName() {
        return "127.0.1." + (11 + ordinal()) + ":9";
    }

    /** The repository of this case's image in the real registry. */
    String repository() {
        return "c/" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * Opens this case's first endpoint in front of {@code registry}, faulting {@code layer} (a blob digest) or every
     * request; {@code null} for {@link #REGISTRY_ALONE}.
     */
    FirstEndpoint open(RegistryFixture registry, String layer) {
        if (this == REGISTRY_ALONE) {
            return null;
        }
        if (this == CLOSED_PORT) {
            ClosedPort port = ClosedPort.allocate();
            return new FirstEndpoint(port.hostPort(), null);
        }
        FaultProxy proxy = FaultProxy.start(registry);
        if (layerOnly) {
            proxy.fault(fault, FaultProxy.blob(layer));
        } else {
            proxy.fault(fault);
        }
        return new FirstEndpoint(proxy.hostPort(), proxy);
    }

    /** A first endpoint: its address and the proxy behind it (null for a closed port). */
    record FirstEndpoint(String hostPort, FaultProxy proxy) implements AutoCloseable {
        @Override
        public void close() {
            if (proxy != null) {
                proxy.close();
            }
        }
    }
}
