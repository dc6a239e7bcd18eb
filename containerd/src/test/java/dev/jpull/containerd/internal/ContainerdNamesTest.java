package dev.jpull.containerd.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.containerd.ContainerdRefusedException;
import dev.jpull.spi.BlobDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The names jpull gives things in containerd: ingest refs, GC labels, chain IDs; and the config it trusts. */
class ContainerdNamesTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    @Test
    void ingestRefsAreContainerdsMakeRefKey() {
        assertThat(RefKeys.of(new BlobDescriptor("application/vnd.oci.image.layer.v1.tar+gzip", A, 1)))
                .isEqualTo("layer-" + A);
        assertThat(RefKeys.of(new BlobDescriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", A, 1)))
                .isEqualTo("layer-" + A);
        assertThat(RefKeys.of(new BlobDescriptor("application/vnd.oci.image.manifest.v1+json", A, 1)))
                .isEqualTo("manifest-" + A);
        assertThat(RefKeys.of(new BlobDescriptor("application/vnd.docker.distribution.manifest.list.v2+json", A, 1)))
                .isEqualTo("index-" + A);
        assertThat(RefKeys.of(new BlobDescriptor("application/vnd.oci.image.config.v1+json", A, 1)))
                .isEqualTo("config-" + A);
        assertThat(RefKeys.of(new BlobDescriptor(null, A, 1))).isEqualTo("unknown-" + A);
    }

    @Test
    void indexChildrenAreNumberedPerLabelAsChildGCLabelsDoes() {
        var labels = ImageRecorder.childLabels(List.of(
                new BlobDescriptor("application/vnd.oci.image.manifest.v1+json", A, 1),
                new BlobDescriptor("application/vnd.oci.image.index.v1+json", B, 1),
                new BlobDescriptor("application/vnd.docker.distribution.manifest.v2+json", C, 1)));
        assertThat(labels).containsExactly(
                java.util.Map.entry("containerd.io/gc.ref.content.m.0", A),
                java.util.Map.entry("containerd.io/gc.ref.content.0", B),
                java.util.Map.entry("containerd.io/gc.ref.content.m.1", C));
    }

    @Test
    void chainIdsFollowTheOciRule() throws Exception {
        var md = java.security.MessageDigest.getInstance("SHA-256");
        String expected = "sha256:" + java.util.HexFormat.of().formatHex(
                md.digest((A + " " + B).getBytes(StandardCharsets.UTF_8)));
        assertThat(Unpacker.chainId(A, B)).isEqualTo(expected);
    }

    @Test
    void diffIdsAreCheckedBeforeTheyNameSnapshots() {
        byte[] good = ("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + A + "\",\"" + B + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(ImageConfigs.diffIds(good, C)).containsExactly(A, B);
        byte[] hostile = "{\"rootfs\":{\"diff_ids\":[\"../../etc\"]}}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ImageConfigs.diffIds(hostile, C)).isInstanceOf(ContainerdRefusedException.class)
                .hasMessageContaining("malformed diff_id");
        assertThatThrownBy(() -> ImageConfigs.diffIds("{}".getBytes(StandardCharsets.UTF_8), C))
                .hasMessageContaining("no rootfs.diff_ids");
        assertThatThrownBy(() -> ImageConfigs.diffIds("[1]".getBytes(StandardCharsets.UTF_8), C))
                .hasMessageContaining("not a JSON object");
    }
}
