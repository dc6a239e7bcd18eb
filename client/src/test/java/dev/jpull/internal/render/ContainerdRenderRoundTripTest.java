package dev.jpull.internal.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.jpull.ConfigException;
import dev.jpull.internal.config.ContainerdConfig;
import dev.jpull.internal.config.HostsDir;
import dev.jpull.RegistriesConfig;
import dev.jpull.ImageReference;
import dev.jpull.internal.resolve.CriMirrorResolver;
import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;
import dev.jpull.internal.resolve.EndpointResolver;
import dev.jpull.internal.resolve.HostsDirResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every K3s docs example without rewrites, rendered and read back through containerd's rules (hosts directory, and
 * the rendered config.toml's config_path): the same endpoints, in the same order, as jpull's registries.yaml plan.
 */
class ContainerdRenderRoundTripTest {
    private static final Path EXAMPLES = Path.of("..", "testdata", "k3s");

    @TempDir
    Path out;

    static Stream<String> examples() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            for (Path p : s.sorted().toList()) {
                RegistriesConfig c;
                try {
                    c = RegistriesConfig.load(p);
                } catch (ConfigException e) {
                    continue; // the docs' invalid YAML example
                }
                if (c.mirrors().values().stream().allMatch(m -> m.rewrites().isEmpty())) {
                    names.add(p.getFileName().toString());
                }
            }
        }
        return names.stream();
    }

    @Test
    void theExamplesAreFound() throws IOException {
        assertThat(examples().toList()).contains("mirror-basic.yaml", "https-client-cert.yaml", "wildcard.yaml",
                "docker-io-accelerator.yaml", "two-names-one-endpoint.yaml").hasSizeGreaterThanOrEqualTo(12)
                .doesNotContain("rewrite.yaml", "rewrite-port-443-as-in-docs.yaml");
    }

    /** An image of each mirror's registry, and one of a registry without a mirror entry. */
    private static List<String> images(RegistriesConfig c) {
        List<String> images = new ArrayList<>();
        for (String name : c.mirrors().keySet()) {
            images.add(switch (name) {
                case "*" -> "quay.io/team/app:1";
                case "docker.io" -> "docker.io/rancher/mirrored-pause:3.6";
                default -> name + "/team/app:1";
            });
        }
        images.add("unlisted.example.com/a/b@sha256:" + "b".repeat(64));
        return images;
    }

    private static List<Tuple> rows(EndpointPlan plan, boolean withTls) {
        return plan.endpoints().stream().map(e -> withTls
                ? tuple(e.baseUrl(), e.repository(), e.namespace(), e.tlsMode())
                : tuple(e.baseUrl(), e.repository(), e.namespace())).toList();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void renderedHostsDirectoryGivesTheSamePlan(String example) {
        RegistriesConfig c = RegistriesConfig.load(EXAMPLES.resolve(example));
        ContainerdRender.Rendered r = ContainerdRender.write(c, false, out);
        assertThat(r.warnings()).isEmpty();
        HostsDirResolver hostsDir = new HostsDirResolver(HostsDir.of(out.resolve("certs.d")));
        CriMirrorResolver cri = new CriMirrorResolver(ContainerdConfig.load(out.resolve("config.toml")));
        // K3s gives configs."*" TLS to the upstream of _default only, jpull (like wharfie) to every endpoint
        boolean wildcardConfig = c.configs().containsKey("*");
        for (String image : images(c)) {
            ImageReference ref = ImageReference.parse(image);
            EndpointPlan expected = new EndpointResolver(c, false).resolve(ref);
            EndpointPlan fromHosts = hostsDir.resolve(ref);
            assertThat(fromHosts.warnings()).as(example + " " + image).isEmpty();
            assertThat(rows(fromHosts, !wildcardConfig)).as(example + " " + image)
                    .containsExactlyElementsOf(rows(expected, !wildcardConfig));
            assertThat(fromHosts.endpoints()).extracting(Endpoint::isDefault)
                    .containsExactlyElementsOf(expected.endpoints().stream().map(Endpoint::isDefault).toList());
            EndpointPlan fromConfig = cri.resolve(ref);
            assertThat(rows(fromConfig, !wildcardConfig)).containsExactlyElementsOf(rows(expected, !wildcardConfig));
            assertThat(fromConfig.endpoints()).extracting(Endpoint::credentialsKind).as(example + " " + image)
                    .containsExactlyElementsOf(expected.endpoints().stream().map(Endpoint::credentialsKind)
                            .toList());
        }
    }
}
