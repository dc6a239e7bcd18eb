package dev.jpull.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.cli.CliRun;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.internal.store.OciStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rmi ID-OR-PREFIX}, {@code rmi --prune}, {@code images REPOSITORY}, the ingest/ summary, {@code prune}. */
class StoreCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Stores an image with a config naming {@code key}, tagged {@code refs}; returns the config digest. */
    private String image(String key, String... refs) {
        OciStore store = OciStore.open(tmp.resolve("store"));
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"k\":\"" + key + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        store.writeBlob(Digests.sha256(config), config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digests.sha256(config)
                + "\",\"size\":" + config.length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        store.writeBlob(Digests.sha256(manifest), manifest);
        for (String ref : refs) {
            store.tag(ref, Descriptor.of(MediaTypes.OCI_MANIFEST, Digests.sha256(manifest), manifest.length));
        }
        return Digests.sha256(config);
    }

    private CliRun jpull(String... args) {
        return CliRun.run(tmp, args);
    }

    @Test
    void rmiTakesTheImageIdPrefixThatImagesShows() {
        String id = image("a", "docker.io/library/a:1", "docker.io/library/a:2");
        image("b", "docker.io/library/b:1");
        String shown = jpull("images").out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[2];
        assertThat(id).startsWith("sha256:" + shown);

        CliRun r = jpull("rmi", shown);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("Deleted: docker.io/library/a:1", "Deleted: docker.io/library/a:2");
        assertThat(jpull("images", "-q").out().lines()).hasSize(1).doesNotContain(id);
    }

    @Test
    void rmiNeedsAnImageOrPrune() {
        CliRun r = jpull("rmi");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("jpull: rmi: name an IMAGE to remove, or give --prune");
    }

    @Test
    void rmiPruneRemovesUnnamedEntriesAndPrintsTheirDigests() throws Exception {
        image("kept", "docker.io/library/kept:1");
        image("gone", "docker.io/library/gone:1");
        Path index = tmp.resolve("store/index.json");
        String withoutName = Files.readString(index).replace(
                ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"docker.io/library/gone:1\"}", "");
        Files.writeString(index, withoutName);
        assertThat(jpull("images").out()).contains("<none>");
        String digest = JSON.readTree(withoutName).path("manifests").get(1).path("digest").asText();

        CliRun r = jpull("rmi", "--prune");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("Deleted: " + digest);
        assertThat(jpull("images").out()).doesNotContain("<none>").contains("docker.io/library/kept:1");
    }

    @Test
    void imagesOfOneRepository() {
        image("a", "docker.io/library/alpine:3.20", "docker.io/library/alpine:latest");
        image("b", "docker.io/library/busybox:1");

        CliRun r = jpull("images", "alpine");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().skip(1).map(l -> l.split("\\s+")[0]))
                .containsExactly("docker.io/library/alpine:3.20", "docker.io/library/alpine:latest");
        assertThat(jpull("images", "alpine:latest").out().lines()).hasSize(2);
        assertThat(jpull("images", "-q", "busybox").out().lines()).hasSize(1);
    }

    @Test
    void imagesSumsUpIngestAndPruneRemovesStalePartials() throws Exception {
        image("a", "docker.io/library/a:1");
        Path ingest = tmp.resolve("store/ingest");
        Path old = Files.write(ingest.resolve("sha256-" + "1".repeat(64) + ".partial"), new byte[3_148_000]);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(48))));
        Files.write(ingest.resolve("sha256-" + "2".repeat(64) + ".partial"), new byte[1000]);

        CliRun images = jpull("images");
        assertThat(images.exitCode()).as(images.err()).isZero();
        assertThat(images.out()).doesNotContain("ingest");
        assertThat(images.err()).isEqualTo("jpull: ingest/ holds 3.149MB in 2 partial downloads kept for resuming; "
                + "'jpull prune' removes stale ones\n");
        JsonNode json = JSON.readTree(jpull("images", "-o", "json").out());
        assertThat(json.path("ingest").path("files").asInt()).isEqualTo(2);
        assertThat(json.path("ingest").path("bytes").asLong()).isEqualTo(3_149_000);

        CliRun prune = jpull("prune", "--older-than", "24h");
        assertThat(prune.exitCode()).as(prune.err()).isZero();
        assertThat(prune.out()).isEqualTo("Removed 1 partial download (3.148MB) from ingest/; kept 1 partial download "
                + "(1kB, newer or in use)\n");
        assertThat(old).doesNotExist();

        JsonNode all = JSON.readTree(jpull("prune", "--older-than", "0", "-o", "json").out());
        assertThat(all.path("removed").path("files").asInt()).isEqualTo(1);
        assertThat(all.path("kept").path("files").asInt()).isZero();
        assertThat(jpull("images").err()).isEmpty();
    }

    @Test
    void pruneBlobsDeletesOldBlobsNoImageUsesAndKeepsTheRest() throws Exception {
        image("a", "docker.io/library/a:1");
        OciStore store = OciStore.open(tmp.resolve("store"));
        byte[] cached = "what jpull serve cached for a client".getBytes(StandardCharsets.UTF_8);
        byte[] fresh = "a pull in progress, not tagged yet".getBytes(StandardCharsets.UTF_8);
        store.writeBlob(Digests.sha256(cached), cached);
        store.writeBlob(Digests.sha256(fresh), fresh);
        Path old = store.blobPath(Digests.sha256(cached));
        FileTime twoDaysAgo = FileTime.from(Instant.now().minus(Duration.ofHours(48)));
        Files.setLastModifiedTime(old, twoDaysAgo);
        try (var blobs = Files.list(tmp.resolve("store/blobs/sha256"))) {
            for (Path p : blobs.toList()) {
                Files.setLastModifiedTime(p, twoDaysAgo); // the image's own blobs are old too: used, so kept
            }
        }
        Files.setLastModifiedTime(store.blobPath(Digests.sha256(fresh)), FileTime.from(Instant.now()));

        CliRun prune = jpull("prune", "--blobs");
        assertThat(prune.exitCode()).as(prune.err()).isZero();
        assertThat(prune.out()).endsWith("Removed 1 blob no image uses (36B); kept 1 blob no image uses (34B, newer)\n");
        assertThat(old).doesNotExist();
        assertThat(store.blobPath(Digests.sha256(fresh))).exists();
        CliRun images = jpull("images");
        assertThat(images.out()).contains("docker.io/library/a");
        assertThat(jpull("verify").exitCode()).as("the image is whole").isZero();

        Path outside = Files.writeString(tmp.resolve("outside"), "not the store's");
        Path planted = Files.createSymbolicLink(tmp.resolve("store/blobs/sha256/" + "e".repeat(64)), outside);
        JsonNode json = JSON.readTree(jpull("prune", "--blobs", "--older-than", "0", "-o", "json").out());
        assertThat(planted).as("a link is not jpull's: left alone").isSymbolicLink();
        assertThat(outside).hasContent("not the store's");
        assertThat(json.path("blobs").path("removed").path("blobs").asInt()).isEqualTo(1);
        assertThat(json.path("blobs").path("kept").path("blobs").asInt()).isZero();
        assertThat(store.blobPath(Digests.sha256(fresh))).doesNotExist();
    }

    /** {@code --keep-storage}: a cache's size; the least recently used go first, never a blob of the last minutes. */
    @Test
    void keepStorageDeletesTheLeastRecentlyUsedUnusedBlobsBeyondTheSize() throws Exception {
        image("a", "docker.io/library/a:1");
        OciStore store = OciStore.open(tmp.resolve("store"));
        try (var blobs = Files.list(tmp.resolve("store/blobs/sha256"))) {
            for (Path p : blobs.toList()) { // the image's own blobs are the oldest: used, so kept whatever the size
                Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
            }
        }
        List<String> unused = new ArrayList<>();
        for (int hoursAgo : new int[] {2, 5, 3, 0}) { // 0: written now (a pull in progress)
            byte[] b = ("blob cached " + hoursAgo + " hours ago;" + "x".repeat(1000)).getBytes(StandardCharsets.UTF_8);
            b = java.util.Arrays.copyOf(b, 1000);
            store.writeBlob(Digests.sha256(b), b);
            Files.setLastModifiedTime(store.blobPath(Digests.sha256(b)),
                    FileTime.from(Instant.now().minus(Duration.ofHours(hoursAgo))));
            unused.add(Digests.sha256(b));
        }

        CliRun keep = jpull("prune", "--blobs", "--keep-storage", "2.5k");
        assertThat(keep.exitCode()).as(keep.err()).isZero();
        // 4000 bytes unused, none older than 24h: the 5 h old goes, then the 3 h old (2000 <= 2560)
        assertThat(keep.out()).endsWith("Removed 2 blobs no image uses (2kB); kept 2 blobs no image uses (2kB, newer)\n");
        assertThat(store.blobPath(unused.get(1))).doesNotExist();
        assertThat(store.blobPath(unused.get(2))).doesNotExist();
        assertThat(store.blobPath(unused.get(0))).exists();
        assertThat(store.blobPath(unused.get(3))).exists();

        JsonNode zero = JSON.readTree(jpull("prune", "--blobs", "--keep-storage", "0", "-o", "json").out());
        assertThat(zero.at("/blobs/removed/blobs").asInt()).isEqualTo(1);
        assertThat(store.blobPath(unused.get(0))).doesNotExist();
        assertThat(store.blobPath(unused.get(3))).as("written in the last 10 minutes: kept").exists();
        assertThat(zero.at("/blobs/kept/bytes").asLong()).isEqualTo(1000);
        assertThat(jpull("verify").exitCode()).as("the image is whole").isZero();
    }

    @Test
    void keepStorageWithoutBlobsOrWithoutASizeIsAUsageError() {
        CliRun alone = jpull("prune", "--keep-storage", "1g");
        assertThat(alone.exitCode()).isEqualTo(2);
        assertThat(alone.err()).isEqualTo("jpull: --keep-storage needs --blobs (it bounds the blobs no image uses)\n");
        CliRun bad = jpull("prune", "--blobs", "--keep-storage", "lots");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.errLines()[0]).contains("'lots' is not a size");
    }

    @Test
    void pruneBlobsDeletesNothingWhenAnImageCannotBeRead() throws Exception {
        image("a", "docker.io/library/a:1");
        OciStore store = OciStore.open(tmp.resolve("store"));
        byte[] orphan = "orphan".getBytes(StandardCharsets.UTF_8);
        store.writeBlob(Digests.sha256(orphan), orphan);
        byte[] junk = "{}".getBytes(StandardCharsets.UTF_8);
        store.writeBlob(Digests.sha256(junk), junk);
        store.tag("docker.io/library/broken:1", Descriptor.of(MediaTypes.OCI_MANIFEST, Digests.sha256(junk),
                junk.length)); // a "manifest" without config: what the image needs is unknown

        CliRun prune = jpull("prune", "--blobs", "--older-than", "0");
        assertThat(prune.exitCode()).as(prune.out() + prune.err()).isEqualTo(2);
        assertThat(prune.errLines()).singleElement().asString().contains("no blob pruned")
                .contains("docker.io/library/broken:1");
        assertThat(store.blobPath(Digests.sha256(orphan))).exists();
    }

    @Test
    void loadOfWhatIsNotAnArchiveIsOneLineAndExitTwo() throws Exception {
        Path notes = Files.writeString(tmp.resolve("notes.txt"), "x".repeat(1024));
        CliRun r = jpull("load", notes.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("jpull: cannot load " + notes + ": it is not a tar archive\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void loadOfASavedArchivePrintsWhatItLoaded() {
        image("a", "docker.io/library/a:1");
        Path archive = tmp.resolve("a.tar");
        assertThat(jpull("save", "-o", archive.toString(), "a:1").exitCode()).isZero();

        CliRun r = CliRun.run(dev.jpull.cli.option.Env.of(java.util.Map.of("JPULL_STORE",
                tmp.resolve("other").toString()), tmp), "load", archive.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Loaded image: docker.io/library/a:1\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void pruneRejectsABadDuration() {
        CliRun r = jpull("prune", "--older-than", "yesterday");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'yesterday' is not a duration");
    }
}
