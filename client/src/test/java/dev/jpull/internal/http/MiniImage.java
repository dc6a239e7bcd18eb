package dev.jpull.internal.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;

import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/** A one-layer image served by WireMock, optionally only to requests that match a condition (auth). */
public record MiniImage(String repository, byte[] manifest, String manifestDigest, byte[] config, byte[] layer) {

    public static MiniImage create(String repository) {
        byte[] layer = ("layer of " + repository).getBytes(StandardCharsets.UTF_8);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digests.sha256(config)
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + Digests.sha256(layer)
                + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        return new MiniImage(repository, manifest, Digests.sha256(manifest), config, layer);
    }

    /** Serves manifest (by {@code tag} and digest) and blobs to requests accepted by {@code condition}. */
    public void serve(WireMockServer server, String tag, UnaryOperator<MappingBuilder> condition) {
        for (String ref : new String[] {tag, manifestDigest}) {
            stub(server, "/v2/" + repository + "/manifests/" + ref, aResponse().withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                    .withHeader("Docker-Content-Digest", manifestDigest).withBody(manifest), condition);
        }
        stub(server, "/v2/" + repository + "/blobs/" + Digests.sha256(config), aResponse().withBody(config), condition);
        stub(server, "/v2/" + repository + "/blobs/" + Digests.sha256(layer), aResponse().withBody(layer), condition);
    }

    /** Answers every request that no {@link #serve} stub takes with 401 and {@code wwwAuthenticate}. */
    public static void challengeOthers(WireMockServer server, String wwwAuthenticate) {
        server.stubFor(get(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", wwwAuthenticate)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")));
    }

    private static void stub(WireMockServer server, String path, ResponseDefinitionBuilder response,
                             UnaryOperator<MappingBuilder> condition) {
        server.stubFor(condition.apply(get(urlPathEqualTo(path)).atPriority(1)).willReturn(response));
    }
}
