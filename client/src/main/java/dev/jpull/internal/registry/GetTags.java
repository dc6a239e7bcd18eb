package dev.jpull.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpull.Endpoint;
import dev.jpull.Outcome;
import dev.jpull.internal.http.Bodies;
import dev.jpull.internal.oci.JsonTrees;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Response;

/**
 * {@code GET /v2/<name>/tags/list}, every page: follows {@code Link: <...>; rel="next"} (the registry's
 * {@code n}/{@code last} pagination) on the same endpoint, at most {@link #MAX_PAGES} pages of at most 4 MiB each.
 * A page that fails fails the whole listing on that endpoint (the next endpoint starts from the first page). A
 * link to another origin is refused: credentials of the endpoint never go elsewhere.
 */
public final class GetTags implements RegistryExecutor.Hedgeable<List<String>> {
    static final int MAX_PAGES = 1000;
    private static final int MAX_PAGE_BYTES = 4 * 1024 * 1024;
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final Exchange exchange;
    private final int pageSize;

    /** @param pageSize the {@code n} asked for (0: the registry's default) */
    public GetTags(Exchange exchange, int pageSize) {
        this.exchange = exchange;
        this.pageSize = pageSize;
    }

    @Override
    public List<String> prepare() {
        return null; // the first request is always the same
    }

    /** The first page's request (hedged as a manifest GET is); the following pages go to the same endpoint. */
    @Override
    public Response send(Endpoint endpoint) throws EndpointFailure {
        return exchange.get(endpoint, firstPage(endpoint).toString(), Map.of("Accept", "application/json"));
    }

    @Override
    public List<String> read(Endpoint endpoint, Response first) throws EndpointFailure {
        List<String> tags = new ArrayList<>();
        HttpUrl url;
        try (Response response = first) {
            tags.addAll(page(response));
            url = next(firstPage(endpoint), response.header("Link"), endpoint); // relative to what was asked
        }
        for (int page = 1; url != null; page++) {
            if (page >= MAX_PAGES) {
                throw new EndpointFailure(Outcome.PROTOCOL_ERROR, 200, "more than " + MAX_PAGES + " pages of tags");
            }
            try (Response response = exchange.get(endpoint, url.toString(), Map.of("Accept", "application/json"))) {
                tags.addAll(page(response));
                url = next(url, response.header("Link"), endpoint);
            }
        }
        return List.copyOf(tags);
    }

    private HttpUrl firstPage(Endpoint endpoint) throws EndpointFailure {
        String first = endpoint.url("tags", "list");
        HttpUrl url = HttpUrl.parse(first);
        if (url == null) {
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, 0, "bad URL " + first);
        }
        return pageSize > 0 ? url.newBuilder().setQueryParameter("n", Integer.toString(pageSize)).build() : url;
    }

    private static List<String> page(Response response) throws EndpointFailure {
        byte[] bytes;
        try {
            bytes = Bodies.readLimited(response.body().byteStream(), MAX_PAGE_BYTES);
        } catch (Bodies.TooLargeException e) {
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, response.code(), "tag list page larger than 4 MiB");
        } catch (IOException e) {
            throw Failures.ofIo(e, true);
        }
        JsonNode root;
        try {
            root = JsonTrees.read(bytes);
        } catch (IOException e) {
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, response.code(), "tag list is not JSON");
        }
        JsonNode list = root == null ? null : root.get("tags");
        List<String> tags = new ArrayList<>();
        if (list == null || list.isNull()) {
            return tags; // a repository without tags
        }
        if (!list.isArray()) {
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, response.code(), "tag list: \"tags\" is not an array");
        }
        for (JsonNode t : list) {
            if (!t.isTextual() || !t.textValue().matches("[\\w][\\w.-]{0,127}")) {
                throw new EndpointFailure(Outcome.PROTOCOL_ERROR, response.code(), "tag list holds an invalid tag");
            }
            tags.add(t.textValue());
        }
        return tags;
    }

    /** The next page's URL, or null; it must be on the endpoint's origin (the {@code ns} query is kept). */
    static HttpUrl next(HttpUrl current, String link, Endpoint endpoint) throws EndpointFailure {
        if (link == null) {
            return null;
        }
        Matcher m = NEXT.matcher(link);
        if (!m.find()) {
            return null;
        }
        HttpUrl next = current.resolve(m.group(1));
        if (next == null || !next.scheme().equals(current.scheme()) || !next.host().equals(current.host())
                || next.port() != current.port()) {
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, 200, "tag list links to another origin");
        }
        if (endpoint.namespace() != null && next.queryParameter("ns") == null) {
            next = next.newBuilder().addQueryParameter("ns", endpoint.namespace()).build();
        }
        return next;
    }
}
