package dev.jpull;

import dev.jpull.config.RegistriesConfig;
import dev.jpull.diagnose.DiagnosisReport;
import dev.jpull.diagnose.Diagnoser;
import dev.jpull.auth.Authenticator;
import dev.jpull.http.HttpClients;
import dev.jpull.http.Timeouts;
import dev.jpull.pull.PlatformMatcher;
import dev.jpull.pull.Puller;
import dev.jpull.reference.ImageReference;
import dev.jpull.registry.Exchange;
import dev.jpull.resolve.EndpointResolver;
import dev.jpull.store.OciStore;
import dev.jpull.resolve.EndpointPlan;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Entry point of the jpull library: resolves image references to endpoint plans and pulls images into an OCI
 * image layout store, failing over between endpoints per request.
 *
 * <p>Instances are immutable and thread-safe; {@link #pull} may be called concurrently.
 */
public final class Jpull {
    private final RegistriesConfig config;
    private final Path store;
    private final String platform;
    private final boolean disableDefaultEndpoint;
    private final Timeouts timeouts;
    private final PullListener listener;
    private final int concurrency;
    private final HttpClients http;
    private final Authenticator authenticator;

    private Jpull(Builder b) {
        this.config = b.config;
        this.store = Objects.requireNonNull(b.store, "store");
        this.platform = b.platform;
        this.disableDefaultEndpoint = b.disableDefaultEndpoint;
        this.timeouts = b.timeouts;
        this.listener = b.listener;
        this.concurrency = b.concurrency;
        this.http = new HttpClients(timeouts);
        this.authenticator = new Authenticator(http);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint plan for {@code image}, without network access. Throws {@link ReferenceException}. */
    public EndpointPlan resolve(String image) {
        return new EndpointResolver(config, disableDefaultEndpoint).resolve(ImageReference.parse(image));
    }

    /**
     * Pulls {@code image} into the store. Throws {@link ReferenceException} for a malformed reference,
     * {@link PullFailedException} when an object could not be fetched from any endpoint.
     */
    public PullResult pull(String image) {
        EndpointPlan plan = resolve(image);
        PlatformMatcher matcher = PlatformMatcher.forSpec(platform);
        OciStore ociStore = OciStore.open(store);
        Exchange exchange = new Exchange(http, authenticator, timeouts, listener);
        return new Puller(exchange, ociStore, matcher, listener, concurrency).pull(plan);
    }

    /**
     * Probes every endpoint of the plan for {@code image} (DNS, TCP, TLS, ping, auth, manifest HEAD) and says per
     * endpoint whether it can serve the image. Throws {@link ReferenceException} for a malformed reference.
     */
    public DiagnosisReport diagnose(String image) {
        return new Diagnoser(config, http, timeouts).diagnose(resolve(image));
    }

    /** Configures a {@link Jpull}. */
    public static final class Builder {
        private RegistriesConfig config = RegistriesConfig.empty();
        private Path store;
        private String platform;
        private boolean disableDefaultEndpoint;
        private Timeouts timeouts = Timeouts.DEFAULTS;
        private PullListener listener = PullListener.NONE;
        private int concurrency = 3;

        /** The K3s registries.yaml contents; default: no mirrors. */
        public Builder config(RegistriesConfig config) {
            this.config = Objects.requireNonNull(config);
            return this;
        }

        /** The OCI layout directory to pull into (created when missing). Required. */
        public Builder store(Path store) {
            this.store = store;
            return this;
        }

        /** {@code os/arch[/variant]}; default: the host's platform. */
        public Builder platform(String platform) {
            this.platform = platform;
            return this;
        }

        /** Do not append the registry's own endpoint after the mirrors. */
        public Builder disableDefaultEndpoint(boolean disable) {
            this.disableDefaultEndpoint = disable;
            return this;
        }

        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts);
            return this;
        }

        public Builder listener(PullListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /** How many blobs are downloaded at the same time; default 3. */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) {
                throw new UsageException("invalid concurrency " + concurrency + ": must be at least 1");
            }
            this.concurrency = concurrency;
            return this;
        }

        public Jpull build() {
            return new Jpull(this);
        }
    }
}
