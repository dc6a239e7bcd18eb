package dev.jpull.cli.startup;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.ImageIndex;
import dev.jpull.internal.oci.Json;
import dev.jpull.internal.oci.ManifestParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Prepares the shared JSON mapper on a second thread while the main thread sets up the HTTP client: building the
 * mapper, its (de)serializers for the OCI types and the manifest parser costs about 0.07 s, which a pull otherwise spends on its main
 * thread before the first request. A warm-up only: it writes nothing anywhere and ignores its own failures, and
 * what it leaves behind (Jackson's per-type serializer caches) does not depend on the sample documents.
 */
public final class Warmup {
    private static final String ZERO = "sha256:" + "0".repeat(64);
    private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest"
            + ".v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
            + ZERO + "\",\"size\":1},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
            + "\"digest\":\"" + ZERO + "\",\"size\":1,\"annotations\":{\"a\":\"b\"},\"urls\":[\"u\"]}]}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] INDEX = ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"m\",\"digest\":\"d\","
            + "\"size\":1,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\",\"os.features\":[\"f\"]}}],"
            + "\"annotations\":{\"a\":\"b\"}}").getBytes(StandardCharsets.UTF_8);

    private Warmup() {
    }

    /** Starts the warm-up on a daemon thread. */
    static void start() {
        Thread t = new Thread(Warmup::run, "jpull-warmup");
        t.setDaemon(true);
        t.start();
    }

    private static void run() {
        try {
            ObjectMapper json = Json.MAPPER;
            ImageIndex index = json.readValue(INDEX, ImageIndex.class);
            json.writeValueAsBytes(new ImageIndex(2, "m", List.of(index.manifests().get(0)
                    .withAnnotations(Map.of("k", "v")), Descriptor.of("m", "d", 1)), null));
            ManifestParser.parse(MANIFEST, null);
        } catch (Exception | LinkageError e) {
            // a warm-up only: the pull does the same work itself and reports real failures
        }
    }
}
