package dev.jpull.internal.registry;

import static dev.jpull.internal.registry.ManifestFormatsTest.REPO;
import static dev.jpull.internal.registry.ManifestFormatsTest.index;
import static dev.jpull.internal.registry.ManifestFormatsTest.platform;
import static dev.jpull.internal.registry.ManifestFormatsTest.serveBlob;
import static dev.jpull.internal.registry.ManifestFormatsTest.serveManifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.Target;
import dev.jpull.Attempt;
import dev.jpull.BlobResult;
import dev.jpull.Outcome;
import dev.jpull.PullFailedException;
import dev.jpull.PullResult;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.internal.registry.ManifestFormatsTest.Blob;
import dev.jpull.internal.registry.ManifestFormatsTest.Image;
import dev.jpull.internal.store.OciStore;
import dev.jpull.testdata.Skopeo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ManifestFormatsTest}'s nested index and sha512/sha384 images (served by WireMock registries), with skopeo
 * reading the store jpull wrote.
 */
class ManifestFormatsIT extends ManifestFormatsFixture {
    @Test
    void anIndexOfIndexesIsFollowedToThePlatformsImageAndSkopeoReadsTheStore() throws IOException {
        Image amd64 = Image.create(1, "amd64", "sha256", "sha256", "sha256", "sha256");
        Image arm64 = Image.create(2, "arm64", "sha256", "sha256", "sha256");
        Blob armIndex = index("sha256", arm64.manifest().descriptor(MediaTypes.OCI_MANIFEST, platform("arm64")));
        Blob amdIndex = index("sha256", amd64.manifest().descriptor(MediaTypes.OCI_MANIFEST, platform("amd64")));
        // neither child index says its platform: the arm64 one is searched first, in vain, then the amd64 one
        Blob top = index("sha256", armIndex.descriptor(MediaTypes.OCI_INDEX, null),
                amdIndex.descriptor(MediaTypes.OCI_INDEX, null));
        serveManifest(registry, "nested", MediaTypes.OCI_INDEX, top);
        for (Blob i : List.of(armIndex, amdIndex)) {
            serveManifest(registry, i.digest(), MediaTypes.OCI_INDEX, i);
        }
        amd64.serve(registry);
        arm64.serve(registry);
        String ref = registryHost() + "/" + REPO + ":nested";

        PullResult result = jpull().pull(ref);

        assertThat(result.digest()).isEqualTo(top.digest());
        assertThat(result.manifestDigest()).isEqualTo(amd64.manifest().digest());
        assertThat(result.imageId()).isEqualTo(amd64.config().digest());
        assertThat(result.platform()).isEqualTo("linux/amd64");
        assertThat(result.blobs()).extracting(BlobResult::digest).containsExactly(amd64.config().digest(),
                amd64.layers().get(0).digest(), amd64.layers().get(1).digest());
        // index.json points at the platform manifest, as for a one-level index
        assertThat(OciStore.open(store).lookup(ref)).hasValueSatisfying(d -> {
            assertThat(d.digest()).isEqualTo(amd64.manifest().digest());
            assertThat(d.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
            assertThat(d.platform().toString()).isEqualTo("linux/amd64");
        });
        String inspected = Skopeo.inspectLayout(store, ref);
        assertThat(inspected).contains(amd64.manifest().digest()).contains("\"Architecture\": \"amd64\"");

        // a platform no nested index has: the error lists what all the indexes searched offer
        assertThatThrownBy(() -> jpull("linux/s390x").pull(ref)).isInstanceOfSatisfying(PullFailedException.class,
                e -> assertThat(e.getMessage()).contains("no image for platform linux/s390x in index "
                        + top.digest() + " (available: linux/arm64, linux/amd64)"));
    }

    @Test
    void sha512AndSha384ImagesAreVerifiedWithTheirAlgorithmAndStoredUnderIt() throws IOException {
        Image image = Image.create(4, "amd64", "sha512", "sha512", "sha512", "sha384");
        image.serve(mirror);
        image.serve(registry);
        // the mirror sends a wrong layer of the right size: SHA-512 catches it, the registry serves the blob
        byte[] wrong = image.layers().get(0).bytes().clone();
        wrong[7] ^= 1;
        serveBlob(mirror, new Blob(wrong, image.layers().get(0).digest()));
        String ref = registryHost() + "/" + REPO + "@" + image.manifest().digest();

        PullResult result = jpull().pull(ref);

        assertThat(result.digest()).isEqualTo(image.manifest().digest()).startsWith("sha512:");
        assertThat(result.manifestDigest()).isEqualTo(image.manifest().digest());
        assertThat(result.imageId()).isEqualTo(image.config().digest());
        assertThat(result.attempts()).filteredOn(a -> a.target().equals(Target.blob(image.layers().get(0).digest())))
                .extracting(Attempt::endpoint, Attempt::outcome).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(mirrorUrl() + "/v2", Outcome.DIGEST_MISMATCH),
                        org.assertj.core.groups.Tuple.tuple(registryUrl(), Outcome.OK));
        assertThat(result.attempts().get(0).error()).contains("content has digest sha512:");
        for (Blob b : List.of(image.manifest(), image.config(), image.layers().get(0), image.layers().get(1))) {
            String alg = Digests.algorithm(b.digest());
            assertThat(store.resolve("blobs/" + alg + "/" + Digests.hex(b.digest()))).hasBinaryContent(b.bytes());
        }
        assertThat(store.resolve("blobs/sha256")).isEmptyDirectory();
        assertThat(OciStore.open(store).lookup(ref)).hasValueSatisfying(
                d -> assertThat(d.digest()).isEqualTo(image.manifest().digest()));
        // skopeo finds the manifest through index.json and blobs/sha512/ (skopeo 1.9 cannot go further with a
        // sha512 config: its config check hashes with sha256 whatever the digest says)
        assertThat(Skopeo.inspectLayoutRaw(store, ref)).isEqualTo(new String(image.manifest().bytes(),
                StandardCharsets.UTF_8));
    }
}
