package dev.jpull.cli.startup;

import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.ImageIndex;
import dev.jpull.internal.oci.IndexCodec;
import dev.jpull.internal.oci.JsonTrees;
import dev.jpull.internal.oci.ManifestParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Prepares, on a second thread, what a pull's main thread would otherwise set up itself before and after its first
 * request: OkHttp's platform (its first client looks at every installed security provider, ~0.03 s), the host-name
 * normalisation of URLs, SHA-256, and then jackson-core's parser and generator (JSON trees, the store's
 * {@code index.json} codec) and the manifest parser (needed when the manifest arrives). The main thread meanwhile
 * reads the configuration; what it reaches while the warm-up is still initialising it, it waits for (a class is
 * initialised once). A warm-up only: it writes nothing anywhere and ignores its own failures, and what it leaves
 * behind (initialised classes) does not depend on the sample documents.
 */
public final class Warmup {
    private static final String ZERO = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    private Warmup() {
    }

    /** Starts the warm-up on a daemon thread (once a command line is known to be a pull: {@link FastPull}). */
    public static void start() {
        Thread t = new Thread(Warmup::run, "jpull-warmup");
        t.setDaemon(true);
        t.start();
    }

    private static void run() {
        try {
            new OkHttpClient.Builder(); // OkHttp's Platform: every security provider, its logger
            HttpUrl.parse("http://127.0.0.1:5000/v2/"); // host normalisation (java.text.Normalizer's data)
            MessageDigest.getInstance("SHA-256").digest(new byte[1]);
            JsonTrees.pretty(JsonTrees.readStrict(bytes("{\"schemaVersion\":2,\"manifests\":[{\"size\":1,"
                    + "\"platform\":{\"os.features\":[\"f\"]},\"x\":[1.5,true,null]}],\"annotations\":{\"a\":\"b\"}}")));
            ImageIndex index = IndexCodec.read(bytes("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"m\","
                    + "\"digest\":\"d\",\"size\":1,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\","
                    + "\"os.features\":[\"f\"]}}],\"annotations\":{\"a\":\"b\"}}"));
            IndexCodec.write(new ImageIndex(2, "m", List.of(index.manifests().get(0)
                    .withAnnotations(Map.of("k", "v")), Descriptor.of("m", "d", 1)), null));
            ManifestParser.parse(bytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest"
                    + ".v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                    + ZERO + "\",\"size\":1},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                    + "\"digest\":\"" + ZERO + "\",\"size\":1,\"annotations\":{\"a\":\"b\"},\"urls\":[\"u\"]}]}"), null);
        } catch (Exception | LinkageError e) {
            // a warm-up only: the pull does the same work itself and reports real failures
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
