package dev.jpull.internal.serve;

import dev.jpull.Attempt;
import dev.jpull.EndpointPlan;
import dev.jpull.Outcome;
import dev.jpull.PullFailedException;
import dev.jpull.internal.pull.ObjectFetcher;
import dev.jpull.internal.registry.FetchedManifest;

/**
 * The mirror's upstream requests that answer a client directly (a manifest, a blob's size), turning a request
 * that failed on every endpoint into the registry error the client gets: 404 when every endpoint said the object
 * is not there, else 503 ({@code UNAVAILABLE}), so that containerd moves on to its next host. Every attempt is
 * counted in the metrics.
 */
final class Fetching {
    private final ObjectFetcher fetcher;
    private final ServeMetrics metrics;

    Fetching(ObjectFetcher fetcher, ServeMetrics metrics) {
        this.fetcher = fetcher;
        this.metrics = metrics;
    }

    ObjectFetcher.Fetched<FetchedManifest> manifest(EndpointPlan plan, String reference, String digest)
            throws Route.Refused {
        try {
            var fetched = fetcher.manifest(plan, reference, digest);
            metrics.served(fetched.attempts(), fetched.endpoint());
            return fetched;
        } catch (PullFailedException e) {
            metrics.attempts(e.attempts());
            throw refused(e, "MANIFEST_UNKNOWN", "manifest " + reference);
        }
    }

    ObjectFetcher.Fetched<java.util.List<String>> tags(EndpointPlan plan) throws Route.Refused {
        try {
            var fetched = fetcher.tags(plan, 0);
            metrics.served(fetched.attempts(), fetched.endpoint());
            return fetched;
        } catch (PullFailedException e) {
            metrics.attempts(e.attempts());
            throw refused(e, "NAME_UNKNOWN", "the tags of " + plan.reference().repository());
        }
    }

    long blobSize(EndpointPlan plan, String digest, Reply reply) throws Route.Refused {
        try {
            var fetched = fetcher.blobSize(plan, digest);
            metrics.served(fetched.attempts(), fetched.endpoint());
            reply.source(fetched.endpoint());
            return fetched.value();
        } catch (PullFailedException e) {
            metrics.attempts(e.attempts());
            throw BlobResponder.notAvailable(digest, e);
        }
    }

    private static Route.Refused refused(PullFailedException e, String unknown, String what) {
        boolean allNotFound = !e.attempts().isEmpty()
                && e.attempts().stream().map(Attempt::outcome).allMatch(o -> o == Outcome.NOT_FOUND);
        String why = BlobResponder.firstLine(e.getMessage());
        return allNotFound ? new Route.Refused(404, unknown, what + " is not known upstream: " + why)
                : new Route.Refused(503, "UNAVAILABLE", what + " is not available from any upstream endpoint: "
                + why);
    }
}
