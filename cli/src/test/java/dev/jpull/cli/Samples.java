package dev.jpull.cli;

import dev.jpull.Target;
import dev.jpull.Attempt;
import dev.jpull.BlobResult;
import dev.jpull.Outcome;
import dev.jpull.PullResult;
import java.util.List;

/** Constructed results shared by the rendering tests. */
public final class Samples {
    public static final String MIRROR = "https://mirror.example.com/v2";
    public static final String REGISTRY = "https://registry-1.docker.io/v2";
    public static final String INDEX = "sha256:" + "1".repeat(64);
    public static final String MANIFEST = "sha256:" + "2".repeat(64);
    public static final String CONFIG = "sha256:" + "3".repeat(64);
    public static final String LAYER1 = "sha256:" + "4".repeat(64);
    public static final String LAYER2 = "sha256:" + "5".repeat(64);

    public static final Attempt MANIFEST_503 = new Attempt(MIRROR, Target.manifest("latest"), Outcome.SERVER_ERROR, 503,
            "UNAVAILABLE: try later", 12);
    public static final Attempt MANIFEST_OK = new Attempt(REGISTRY, Target.manifest("latest"), Outcome.OK, 200, null, 80);

    private Samples() {
    }

    public static PullResult pullResult() {
        return new PullResult("docker.io/library/alpine:latest", INDEX, MANIFEST, CONFIG, "linux/amd64", REGISTRY,
                List.of(new BlobResult(CONFIG, 1472, "application/vnd.oci.image.config.v1+json", REGISTRY, false),
                        new BlobResult(LAYER1, 3_623_807, "application/vnd.oci.image.layer.v1.tar+gzip", MIRROR,
                                false),
                        new BlobResult(LAYER2, 100, "application/vnd.oci.image.layer.v1.tar+gzip", null, true)),
                List.of(MANIFEST_503, MANIFEST_OK), 3_625_279, 1234);
    }
}
