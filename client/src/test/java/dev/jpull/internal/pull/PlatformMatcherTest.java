package dev.jpull.internal.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.ConfigException;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.internal.oci.Platform;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformMatcherTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "linux/amd64, linux/amd64",
            "linux/x86_64, linux/amd64",
            "linux/x86-64, linux/amd64",
            "linux/amd64/v1, linux/amd64",
            "linux/amd64/v3, linux/amd64/v3",
            "Linux/AMD64, linux/amd64",
            "linux/aarch64, linux/arm64",
            "linux/arm64/v8, linux/arm64",
            "linux/arm64/8, linux/arm64",
            "linux/arm64/v8.0, linux/arm64",
            "linux/arm64/v9.0, linux/arm64/v9",
            "linux/arm64/v8.2, linux/arm64/v8.2",
            "linux/armhf, linux/arm/v7",
            "linux/armel, linux/arm/v6",
            "linux/arm, linux/arm/v7",
            "linux/arm/7, linux/arm/v7",
            "linux/arm/6, linux/arm/v6",
            "linux/arm/v5, linux/arm/v5",
            "linux/i386, linux/386",
            "macos/arm64, darwin/arm64",
            "windows/amd64, windows/amd64",
            "linux/s390x, linux/s390x",
            "' linux/ppc64le ', linux/ppc64le",
    })
    void specsAreNormalised(String spec, String described) {
        assertThat(PlatformMatcher.forSpec(spec).describe()).isEqualTo(described);
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux", "amd64", "linux/", "/amd64", "linux//v7", "linux/arm/v7/extra",
            "linux/amd 64", "linux:amd64", "linux/arm/v7/"})
    void malformedSpecsAreUsageErrors(String spec) {
        assertThatThrownBy(() -> PlatformMatcher.forSpec(spec))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid --platform \"" + spec + "\": expected OS/ARCH[/VARIANT]");
    }

    @ParameterizedTest(name = "os.arch {0} -> {1}")
    @CsvSource({"amd64, linux/amd64", "x86_64, linux/amd64", "aarch64, linux/arm64", "arm, linux/arm/v7",
            "i386, linux/386", "x86, linux/386", "s390x, linux/s390x", "ppc64le, linux/ppc64le"})
    void hostDefaultFollowsOsArch(String osArch, String described) {
        assertThat(PlatformMatcher.forHostArch(osArch).describe()).isEqualTo(described);
    }

    @Test
    void nullOrBlankMeansTheHost() {
        String host = PlatformMatcher.forHostArch(System.getProperty("os.arch")).describe();
        assertThat(PlatformMatcher.forSpec(null).describe()).isEqualTo(host);
        assertThat(PlatformMatcher.forSpec("  ").describe()).isEqualTo(host);
        assertThat(PlatformMatcher.host().describe()).startsWith("linux/");
    }

    /** A typical multi-platform index (like library/alpine) plus BuildKit attestations. */
    private static final List<Descriptor> ALPINE = List.of(
            entry("linux", "amd64", null),
            entry("linux", "arm", "v6"),
            entry("linux", "arm", "v7"),
            entry("linux", "arm64", "v8"),
            entry("linux", "386", null),
            entry("linux", "ppc64le", null),
            entry("linux", "s390x", null),
            attestation(),
            attestation());

    @ParameterizedTest(name = "{0} chooses {1}")
    @CsvSource({
            "linux/amd64, linux/amd64",
            "linux/x86_64, linux/amd64",
            "linux/amd64/v3, linux/amd64",
            "linux/arm64, linux/arm64/v8",
            "linux/arm64/v8, linux/arm64/v8",
            "linux/aarch64, linux/arm64/v8",
            "linux/arm64/v9.2, linux/arm64/v8",
            "linux/arm, linux/arm/v7",
            "linux/arm/v7, linux/arm/v7",
            "linux/armhf, linux/arm/v7",
            "linux/arm/v6, linux/arm/v6",
            "linux/armel, linux/arm/v6",
            "linux/arm/v8, linux/arm/v7",
            "linux/386, linux/386",
            "linux/i386, linux/386",
            "linux/s390x, linux/s390x",
    })
    void choosesFromAMultiPlatformIndex(String spec, String chosen) {
        assertThat(PlatformMatcher.forSpec(spec).select(ALPINE)).map(d -> d.platform().toString()).contains(chosen);
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux/riscv64", "linux/arm/v5", "windows/amd64", "darwin/arm64", "linux/mips64le"})
    void noAcceptableEntryMeansEmpty(String spec) {
        assertThat(PlatformMatcher.forSpec(spec).select(ALPINE)).isEmpty();
    }

    @Test
    void amd64FallsBackTo386() {
        List<Descriptor> index = List.of(entry("linux", "arm64", null), entry("linux", "386", null));
        assertThat(select("linux/amd64", index)).contains(index.get(1));
        assertThat(select("linux/386", List.of(entry("linux", "amd64", null)))).isEmpty();
    }

    @Test
    void amd64LevelsAcceptLowerLevelsInOrder() {
        List<Descriptor> index = List.of(entry("linux", "386", null), entry("linux", "amd64", "v1"),
                entry("linux", "amd64", "v2"), entry("linux", "amd64", "v4"));
        assertThat(select("linux/amd64/v3", index)).contains(index.get(2));
        assertThat(select("linux/amd64", index)).contains(index.get(1));
        assertThat(select("linux/amd64/v4", index)).contains(index.get(3));
    }

    @Test
    void armVariantsFallBackDownToV5ButNeverUp() {
        List<Descriptor> index = List.of(entry("linux", "arm", "v7"), entry("linux", "arm", "v5"));
        assertThat(select("linux/arm/v6", index)).contains(index.get(1));
        assertThat(select("linux/arm/v7", index)).contains(index.get(0));
        assertThat(select("linux/arm/v8", index)).contains(index.get(0));
        assertThat(select("linux/arm/v5", index)).contains(index.get(1));
    }

    @Test
    void armEntryWithoutVariantIsArmV7() {
        List<Descriptor> index = List.of(entry("linux", "arm", null));
        assertThat(select("linux/arm/v7", index)).contains(index.get(0));
        assertThat(select("linux/arm/v6", index)).isEmpty();
    }

    @Test
    void arm64PrefersArm64ThenFallsBackTo32BitArm() {
        List<Descriptor> armOnly = List.of(entry("linux", "arm", "v6"), entry("linux", "arm", "v7"));
        assertThat(select("linux/arm64", armOnly)).contains(armOnly.get(1));

        List<Descriptor> both = List.of(entry("linux", "arm", "v7"), entry("linux", "aarch64", null));
        assertThat(select("linux/arm64/v8", both)).contains(both.get(1));
        assertThat(select("linux/arm64/v8.2", List.of(entry("linux", "arm64", "v8.3"), entry("linux", "arm64", "v8.1"))))
                .map(d -> d.platform().variant()).contains("v8.1");
        assertThat(select("linux/arm64/v9", List.of(entry("linux", "arm64", "v8.5"), entry("linux", "arm64", "v8.6"))))
                .map(d -> d.platform().variant()).contains("v8.5");
    }

    /** containerd/platforms' order for arm64/v9.x (issue 12, point 11): v9.x-1..v9, then v8.(x+5)..v8, then arm. */
    @Test
    void arm64V9MinorsAboveFiveMatchLowerVariantsInContainerdsOrder() {
        List<String> all = new ArrayList<>();
        for (String v : List.of("v9.7", "v9.6", "v9.5", "v9.1", "v9", "v8.12", "v8.11", "v8.10", "v8.9", "v8.5",
                "v8.1", "v8")) {
            all.add(v);
        }
        List<Descriptor> index = new ArrayList<>();
        for (String v : all) {
            index.add(entry("linux", "arm64", v));
        }
        index.add(entry("linux", "arm", "v7"));
        index.add(entry("linux", "arm", "v8"));
        Collections.reverse(index); // index order must not decide
        assertThat(PlatformMatcher.forSpec("linux/arm64/v9.6").ranked(index))
                .extracting(d -> d.platform().architecture() + "/" + d.platform().variant())
                .containsExactly("arm64/v9.6", "arm64/v9.5", "arm64/v9.1", "arm64/v9", "arm64/v8.11", "arm64/v8.10",
                        "arm64/v8.9", "arm64/v8.5", "arm64/v8.1", "arm64/v8", "arm/v8", "arm/v7");
        assertThat(PlatformMatcher.forSpec("linux/arm64/v9.7").ranked(index))
                .extracting(d -> d.platform().architecture() + "/" + d.platform().variant())
                .containsExactly("arm64/v9.7", "arm64/v9.6", "arm64/v9.5", "arm64/v9.1", "arm64/v9", "arm64/v8.12",
                        "arm64/v8.11", "arm64/v8.10", "arm64/v8.9", "arm64/v8.5", "arm64/v8.1", "arm64/v8", "arm/v8",
                        "arm/v7");
        assertThat(select("linux/arm64/v9.6", List.of(entry("linux", "arm64", "v8.2"))))
                .map(d -> d.platform().variant()).contains("v8.2");
        assertThat(select("linux/arm64/v9.7", List.of(entry("linux", "arm", "v7"))))
                .map(d -> d.platform().variant()).contains("v7");
    }

    @Test
    void entriesWithoutPlatformAreAcceptableButLast() {
        Descriptor bare = Descriptor.of(MediaTypes.OCI_MANIFEST, digest("bare"), 10);
        List<Descriptor> index = List.of(bare, entry("linux", "386", null));
        assertThat(select("linux/amd64", index)).contains(index.get(1));
        assertThat(select("linux/arm64", index)).contains(bare);
        assertThat(select("linux/arm64", List.of(bare))).contains(bare);
    }

    @Test
    void attestationsNeverMatchEvenWithoutPlatform() {
        Descriptor unannotated = entry("unknown", "unknown", null);
        assertThat(select("linux/amd64", List.of(attestation(), unannotated))).isEmpty();
        Descriptor noPlatform = Descriptor.of(MediaTypes.OCI_MANIFEST, digest("att"), 1)
                .withAnnotations(Map.of("vnd.docker.reference.type", "attestation-manifest"));
        assertThat(select("linux/amd64", List.of(noPlatform))).isEmpty();
    }

    @Test
    void entriesRequiringOsFeaturesNeverMatch() {
        Descriptor withFeatures = new Descriptor(MediaTypes.OCI_MANIFEST, digest("f"), 1, null, null,
                new Platform("amd64", "linux", null, List.of("sse4"), null));
        assertThat(select("linux/amd64", List.of(withFeatures))).isEmpty();
    }

    @Test
    void amongEqualPreferenceTheFirstInIndexOrderWins() {
        List<Descriptor> index = List.of(entry("linux", "arm64", null), entry("linux", "arm64", "v8"),
                entry("linux", "aarch64", null));
        assertThat(select("linux/arm64", index)).containsSame(index.get(0));
        List<Descriptor> reversed = new ArrayList<>(index);
        Collections.reverse(reversed);
        assertThat(select("linux/arm64", reversed)).containsSame(reversed.get(0));
    }

    @Test
    void emptyIndexSelectsNothing() {
        assertThat(PlatformMatcher.forSpec("linux/amd64").select(List.of())).isEmpty();
    }

    @Test
    void matchesReportsAcceptability() {
        PlatformMatcher m = PlatformMatcher.forSpec("linux/arm64");
        assertThat(m.matches(new Platform("arm", "linux", null, null, "v7"))).isTrue();
        assertThat(m.matches(new Platform("amd64", "linux", null, null, null))).isFalse();
        assertThat(m.matches(null)).isTrue();
    }

    private static Optional<Descriptor> select(String spec, List<Descriptor> index) {
        return PlatformMatcher.forSpec(spec).select(index);
    }

    private static Descriptor entry(String os, String arch, String variant) {
        String name = String.join("/", Arrays.asList(os, arch, String.valueOf(variant)));
        return new Descriptor(MediaTypes.OCI_MANIFEST, digest(name), 500, null, null,
                new Platform(arch, os, null, null, variant));
    }

    private static Descriptor attestation() {
        return entry("unknown", "unknown", null)
                .withAnnotations(Map.of("vnd.docker.reference.type", "attestation-manifest",
                        "vnd.docker.reference.digest", digest("ref")));
    }

    private static String digest(String s) {
        return Digests.sha256(s.getBytes(StandardCharsets.UTF_8));
    }
}
