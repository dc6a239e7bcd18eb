package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A small image (config + layers) held in memory, and WireMock stubs that serve it as a registry would. */
public record TestImage(String repository, byte[] manifest, String manifestDigest, byte[] config, String configDigest,
                 List<byte[]> layers, List<String> layerDigests) {

    public static TestImage create(String repository, int layerCount, int layerSize, long seed) {
        Random random = new Random(seed);
        List<byte[]> layers = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        StringBuilder layerJson = new StringBuilder();
        for (int i = 0; i < layerCount; i++) {
            byte[] layer = new byte[layerSize];
            random.nextBytes(layer);
            layers.add(layer);
            String d = Digests.sha256(layer);
            digests.add(d);
            layerJson.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                    + "\"digest\":\"").append(d).append("\",\"size\":").append(layer.length).append('}');
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}")
                .getBytes(StandardCharsets.UTF_8);
        String configDigest = Digests.sha256(config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[" + layerJson + "]}")
                .getBytes(StandardCharsets.UTF_8);
        return new TestImage(repository, manifest, Digests.sha256(manifest), config, configDigest, layers, digests);
    }

    public String manifestPath(String ref) {
        return "/v2/" + repository + "/manifests/" + ref;
    }

    public String blobPath(String digest) {
        return "/v2/" + repository + "/blobs/" + digest;
    }

    /** Stubs that serve the whole image correctly under {@code tag} and by digest. */
    public void serveAll(WireMockServer server, String tag) {
        for (String ref : List.of(tag, manifestDigest)) {
            server.stubFor(get(urlPathEqualTo(manifestPath(ref))).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                    .withHeader("Docker-Content-Digest", manifestDigest)
                    .withBody(manifest)));
        }
        server.stubFor(get(urlPathEqualTo(blobPath(configDigest))).willReturn(aResponse().withBody(config)));
        for (int i = 0; i < layers.size(); i++) {
            server.stubFor(get(urlPathEqualTo(blobPath(layerDigests.get(i))))
                    .willReturn(aResponse().withBody(layers.get(i))));
        }
    }
}
