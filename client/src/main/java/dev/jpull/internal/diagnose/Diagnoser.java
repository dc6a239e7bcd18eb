package dev.jpull.internal.diagnose;

import dev.jpull.DiagnosisReport;
import dev.jpull.EndpointDiagnosis;

import dev.jpull.RegistriesConfig;
import dev.jpull.internal.http.HttpClients;
import dev.jpull.internal.http.Transport;
import dev.jpull.Timeouts;
import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Probes every endpoint of a plan independently (a success does not stop the others) and says, per endpoint,
 * whether it can serve the image and, if not, why: DNS, TCP connect, TLS (certificate and verification), the
 * {@code /v2/} ping, the authentication challenge and token, and a {@code HEAD} of the manifest. Endpoints are
 * probed in parallel, each step bounded by the {@link Timeouts}. Nothing is downloaded beyond error bodies, and
 * no token or password is kept in the report.
 */
public final class Diagnoser {
    private static final int MAX_PARALLEL = 8;

    private final RegistriesConfig config;
    private final Transport transport;
    private final Timeouts timeouts;
    private final dev.jpull.spi.CredentialSource credentials;
    private final dev.jpull.internal.pull.PlatformMatcher platform;

    /**
     * @param config the configuration the plan came from, for hints about entries under the wrong name
     * @param transport the registry transport requests go through: the one {@code pull} uses, so both answer alike
     */
    public Diagnoser(RegistriesConfig config, Transport transport, Timeouts timeouts) {
        this(config, transport, timeouts, new dev.jpull.internal.auth.RegistriesYamlCredentials());
    }

    /** @param credentials where credentials come from beyond registries.yaml (Docker config.json, helpers) */
    public Diagnoser(RegistriesConfig config, Transport transport, Timeouts timeouts,
                     dev.jpull.spi.CredentialSource credentials) {
        this(config, transport, timeouts, credentials, dev.jpull.internal.pull.PlatformMatcher.host());
    }

    /** @param platform whose manifest, config and layers the drift check asks mirrors for */
    public Diagnoser(RegistriesConfig config, Transport transport, Timeouts timeouts,
                     dev.jpull.spi.CredentialSource credentials, dev.jpull.internal.pull.PlatformMatcher platform) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.config = Objects.requireNonNull(config, "config");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /** A diagnoser with its own HTTP clients. */
    public Diagnoser(RegistriesConfig config, Timeouts timeouts) {
        this(config, new Transport(new HttpClients(timeouts)), timeouts);
    }

    /** Probes every endpoint of {@code plan}; the report lists them in plan order. */
    public DiagnosisReport diagnose(EndpointPlan plan) {
        // a fresh authenticator: the report shows what each endpoint does now, not what an earlier pull cached
        EndpointProber prober = new EndpointProber(transport,
                new dev.jpull.internal.auth.Authenticator(transport, credentials), timeouts,
                plan.reference(), config);
        List<Endpoint> endpoints = plan.endpoints();
        if (endpoints.isEmpty()) {
            return new DiagnosisReport(plan.reference(), List.of());
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(endpoints.size(), MAX_PARALLEL), r -> {
            Thread t = new Thread(r, "jpull-diagnose");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<EndpointDiagnosis>> futures = new ArrayList<>();
            for (Endpoint ep : endpoints) {
                futures.add(pool.submit(() -> prober.probe(ep)));
            }
            List<EndpointDiagnosis> out = new ArrayList<>();
            for (Future<EndpointDiagnosis> f : futures) {
                out.add(f.get());
            }
            return new DiagnosisReport(plan.reference(), out, drift(plan, out));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while diagnosing " + plan.reference(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@link DriftCheck} with a fresh authenticator, as the probes had. */
    private dev.jpull.MirrorDrift drift(EndpointPlan plan, List<EndpointDiagnosis> probed) {
        dev.jpull.internal.registry.Exchange exchange = new dev.jpull.internal.registry.Exchange(transport,
                new dev.jpull.internal.auth.Authenticator(transport, credentials), timeouts,
                dev.jpull.PullListener.NONE);
        return new DriftCheck(exchange, platform, plan.reference()).check(probed);
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** {@code Type: message} of an exception, on one line. */
    static String describe(Throwable e) {
        return dev.jpull.internal.registry.Failures.describe(e);
    }
}
