package dev.jpull.internal.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.internal.oci.JsonTrees;
import java.io.IOException;
import java.util.List;

/**
 * {@code GET /v2/<name>/tags/list[?n=N&last=TAG]}: the repository's tags from upstream (every page there), sorted
 * and paginated here as the distribution spec says ({@code Link: <...>; rel="next"} when more follow).
 */
final class TagsResponder {
    private final Fetching fetching;

    TagsResponder(Fetching fetching) {
        this.fetching = fetching;
    }

    void answer(Route route, Upstream upstream, Reply reply, String rawQuery) throws IOException, Route.Refused {
        var fetched = fetching.tags(upstream.plan(route.image()));
        List<String> tags = fetched.value().stream().distinct().sorted().toList();
        String size = Route.param(rawQuery, "n", "PAGINATION_NUMBER_INVALID");
        int n;
        try {
            n = size == null ? Integer.MAX_VALUE : Math.max(0, Integer.parseInt(size));
        } catch (NumberFormatException e) {
            throw new Route.Refused(400, "PAGINATION_NUMBER_INVALID", "invalid n");
        }
        String after = Route.param(rawQuery, "last", "PAGINATION_NUMBER_INVALID");
        List<String> rest = after == null ? tags : tags.stream().filter(t -> t.compareTo(after) > 0).toList();
        List<String> page = rest.subList(0, Math.min(n, rest.size()));
        if (page.size() < rest.size() && !page.isEmpty()) {
            reply.header("Link", "</v2/" + route.image().repository() + "/tags/list?n=" + n + "&last="
                    + page.get(page.size() - 1) + ">; rel=\"next\"");
        }
        ObjectNode body = JsonTrees.object();
        body.put("name", route.image().repository());
        page.forEach(body.putArray("tags")::add);
        reply.source(fetched.endpoint() != null ? fetched.endpoint() : "upstream");
        reply.send(200, "application/json", JsonTrees.bytes(body));
    }
}
