package dev.jpull.internal.diagnose;

import dev.jpull.Drift;
import dev.jpull.Endpoint;
import dev.jpull.EndpointDiagnosis;
import dev.jpull.EndpointDrift;
import dev.jpull.ImageReference;
import dev.jpull.MirrorDrift;
import dev.jpull.Outcome;
import dev.jpull.Verdict;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.ImageManifest;
import dev.jpull.internal.pull.PlatformMatcher;
import dev.jpull.internal.registry.EndpointFailure;
import dev.jpull.internal.registry.Exchange;
import dev.jpull.internal.registry.FetchedManifest;
import dev.jpull.internal.registry.GetManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Response;

/**
 * Mirror drift: once the probes are done and more than one endpoint can serve the image, compares the digest each
 * serves for the reference (the manifest HEAD's {@code Docker-Content-Digest}, else the digest of a GET) with the
 * registry itself (the plan's default endpoint). A mirror serving another digest is {@link Drift#STALE}; one serving
 * the same is asked ({@code HEAD}) for every object a pull of the {@link PlatformMatcher platform} would take from
 * the registry's manifest: the platform manifest below an index (up to {@value #MAX_DEPTH} levels), its config and
 * layers. A 404 makes it {@link Drift#MISSING_BLOBS}; any other failure {@link Drift#UNKNOWN}, with the reason.
 * Requests go through the pull's {@link Exchange} (same transport and authentication).
 */
final class DriftCheck {
    private static final int MAX_DEPTH = 4;

    private final Exchange exchange;
    private final PlatformMatcher platform;
    private final ImageReference reference;

    DriftCheck(Exchange exchange, PlatformMatcher platform, ImageReference reference) {
        this.exchange = exchange;
        this.platform = platform;
        this.reference = reference;
    }

    /** The drift of {@code probed} (plan order), or null when fewer than two endpoints can serve the image. */
    MirrorDrift check(List<EndpointDiagnosis> probed) {
        if (probed.stream().filter(d -> d.verdict() == Verdict.OK).count() < 2) {
            return null;
        }
        List<String> digests = new ArrayList<>();
        for (EndpointDiagnosis d : probed) {
            digests.add(d.verdict() == Verdict.OK ? digestOf(d) : null);
        }
        int registry = -1;
        for (int i = 0; i < probed.size(); i++) {
            if (probed.get(i).endpoint().isDefault() && digests.get(i) != null) {
                registry = i;
            }
        }
        String tag = reference.manifestReference();
        if (registry < 0) {
            boolean differ = digests.stream().filter(x -> x != null).distinct().count() > 1;
            List<EndpointDrift> out = new ArrayList<>();
            for (int i = 0; i < probed.size(); i++) {
                out.add(new EndpointDrift(probed.get(i).baseUrl(), digests.get(i), Drift.UNKNOWN,
                        (differ ? "the endpoints serve different digests for " + tag + "; " : "")
                                + "the registry itself did not answer to compare with", List.of()));
            }
            return new MirrorDrift(null, null, out);
        }
        Endpoint origin = probed.get(registry).endpoint();
        String expected = digests.get(registry);
        List<Object> objects = null; // the registry's objects a pull takes, or the reason they are unknown
        List<EndpointDrift> out = new ArrayList<>();
        for (int i = 0; i < probed.size(); i++) {
            EndpointDiagnosis d = probed.get(i);
            String digest = digests.get(i);
            if (i == registry) {
                out.add(new EndpointDrift(d.baseUrl(), digest, Drift.SAME, "the registry itself", List.of()));
            } else if (digest == null) {
                out.add(new EndpointDrift(d.baseUrl(), null, Drift.UNKNOWN, d.verdict() == Verdict.OK
                        ? "no digest for " + tag : "cannot serve the image (" + d.verdict().label() + ")", List.of()));
            } else if (!digest.equals(expected)) {
                out.add(new EndpointDrift(d.baseUrl(), digest, Drift.STALE, "serves " + digest + " for " + tag
                        + ", the registry " + origin.baseUrl() + " serves " + expected
                        + ": a stale mirror (pulls through it get another image)", List.of()));
            } else {
                if (objects == null) {
                    objects = objects(origin, expected);
                }
                out.add(blobs(d, digest, objects));
            }
        }
        return new MirrorDrift(origin.baseUrl(), expected, out);
    }

    private String digestOf(EndpointDiagnosis d) {
        if (d.manifest() != null && d.manifest().digest() != null) {
            return d.manifest().digest();
        }
        try {
            return get(d.endpoint(), reference.manifestReference(), reference.digest()).digest();
        } catch (EndpointFailure e) {
            return null;
        }
    }

    /**
     * What a pull takes from {@code origin} for {@code digest}: the platform manifests below an index, then the
     * config and layers ({@link Obj}); a String in the list says why the rest is unknown.
     */
    private List<Object> objects(Endpoint origin, String digest) {
        List<Object> out = new ArrayList<>();
        try {
            FetchedManifest m = get(origin, digest, digest);
            for (int depth = 0; m.document().isIndex(); depth++) {
                Descriptor child = platform.select(m.document().index().manifests()).orElse(null);
                if (child == null || depth >= MAX_DEPTH) {
                    out.add("the registry's index " + m.digest() + " has no image for " + platform.describe());
                    return out;
                }
                out.add(new Obj("manifests", child.digest()));
                m = get(origin, child.digest(), child.digest());
            }
            ImageManifest image = m.document().manifest();
            out.add(new Obj("blobs", image.config().digest()));
            image.layers().forEach(l -> out.add(new Obj("blobs", l.digest())));
        } catch (EndpointFailure e) {
            out.add("the registry's manifest " + digest + " could not be read: " + e.getMessage());
        }
        return out;
    }

    /** A manifest or blob a pull takes. */
    private record Obj(String kind, String digest) {
    }

    private EndpointDrift blobs(EndpointDiagnosis d, String digest, List<Object> objects) {
        List<String> missing = new ArrayList<>();
        String problem = null;
        for (Object o : objects) {
            if (o instanceof String why) {
                problem = why;
                continue;
            }
            Obj obj = (Obj) o;
            try (Response r = exchange.head(d.endpoint(), d.endpoint().url(obj.kind(), obj.digest()), obj.kind()
                    .equals("manifests") ? Map.of("Accept", dev.jpull.internal.oci.MediaTypes.MANIFEST_ACCEPT_HEADER)
                    : Map.of())) {
                // present
            } catch (EndpointFailure e) {
                if (e.outcome() == Outcome.NOT_FOUND) {
                    missing.add(obj.digest());
                } else if (problem == null) {
                    problem = "HEAD of " + obj.digest() + ": " + e.outcome().label() + " " + e.getMessage();
                }
            }
        }
        int checked = (int) objects.stream().filter(o -> o instanceof Obj).count();
        if (!missing.isEmpty()) {
            return new EndpointDrift(d.baseUrl(), digest, Drift.MISSING_BLOBS, "the registry's digest, but it lacks "
                    + missing.size() + " of " + checked + " manifests and blobs: " + String.join(", ", missing),
                    missing);
        }
        if (problem != null) {
            return new EndpointDrift(d.baseUrl(), digest, Drift.UNKNOWN, problem, List.of());
        }
        return new EndpointDrift(d.baseUrl(), digest, Drift.SAME, "the registry's digest, with all " + checked
                + " manifests and blobs", List.of());
    }

    private FetchedManifest get(Endpoint endpoint, String ref, String digest) throws EndpointFailure {
        return new GetManifest(exchange, ref, digest, new AtomicLong()).run(endpoint);
    }
}
