package dev.jpull.cli;

import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.Layer;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.Skopeo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The real registry (plain HTTP) holding one fresh runnable image per {@link FaultCase} (so no case finds content
 * another case left in containerd or in jpull's store), and each case's first endpoint in front of it. A case's
 * image is {@code <case>.test/c/<case>:1} to containerd; its hosts.toml maps that name to the endpoints.
 */
final class FaultMatrix implements AutoCloseable {
    /** One case: the image's reference, skopeo's digest for it, its faulted layer and its first endpoint. */
    record Case(FaultCase fault, String ref, String digest, String layer, FaultCase.FirstEndpoint first) {
    }

    private final RegistryFixture registry;
    private final Map<FaultCase, Case> cases;

    private FaultMatrix(RegistryFixture registry, Map<FaultCase, Case> cases) {
        this.registry = registry;
        this.cases = cases;
    }

    /** Starts the registry and seeds the images ({@code layerSize} bytes of data each) under {@code tmp}. */
    static FaultMatrix start(Path tmp, long seed, long layerSize) {
        RegistryFixture registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN);
        Map<FaultCase, Case> cases = new EnumMap<>(FaultCase.class);
        try {
            Map<FaultCase, String> layers = new EnumMap<>(FaultCase.class);
            for (FaultCase c : FaultCase.values()) {
                Image image = new ImageGenerator(seed + c.ordinal()).runnable(tmp.resolve("image-" + c), "img", 1,
                        layerSize);
                Skopeo.copyToRegistry(image.layoutDir(), "img", registry, c.repository() + ":1");
                layers.put(c, image.layers().stream().max(Comparator.comparingLong(Layer::size)).orElseThrow()
                        .digest());
            }
            // the closed port last: no proxy opened after it can take its number
            List<FaultCase> order = new ArrayList<>(List.of(FaultCase.values()));
            order.remove(FaultCase.CLOSED_PORT);
            order.add(FaultCase.CLOSED_PORT);
            for (FaultCase c : order) {
                cases.put(c, new Case(c, c.registryName() + "/" + c.repository() + ":1",
                        Skopeo.inspectDigest(registry, c.repository() + ":1"), layers.get(c),
                        c.open(registry, layers.get(c))));
            }
            return new FaultMatrix(registry, cases);
        } catch (RuntimeException | Error e) {
            new FaultMatrix(registry, cases).close();
            throw e;
        }
    }

    RegistryFixture registry() {
        return registry;
    }

    Case get(FaultCase c) {
        return cases.get(c);
    }

    /** Writes a hosts.toml for every case into {@code dir}: {@code hosts.apply(case)} first, then the registry. */
    Path hostsDir(Path dir, Function<Case, List<String>> hosts) {
        return hostsDir(dir, hosts, registry.hostPort());
    }

    /** As {@link #hostsDir(Path, Function)} with {@code server} ({@code HOST:PORT}) as every case's server. */
    Path hostsDir(Path dir, Function<Case, List<String>> hosts, String server) {
        for (Case c : cases.values()) {
            HostsDir.write(dir, c.fault().registryName(), hosts.apply(c), server);
        }
        return dir;
    }

    /** The case's first endpoint as a one-element list (empty for the registry alone). */
    static List<String> firstOf(Case c) {
        return c.first() == null ? List.of() : List.of(c.first().hostPort());
    }

    /**
     * One column of the side-by-side record as a Markdown table: per case the first pull's outcome (and the second
     * pull's, when the first failed) and the times.
     */
    static String table(String column, Duration bound, Map<FaultCase, CtrPull> results,
                        Map<FaultCase, CtrPull> retries) {
        StringBuilder t = new StringBuilder(column + " (ctr 1.6 images pull --hosts-dir; bound " + bound.toSeconds()
                + " s)\n| case | " + column + " | time |\n|---|---|---|\n");
        results.forEach((c, r) -> {
            CtrPull retry = retries.get(c);
            t.append("| ").append(c.label()).append(" | ").append(r.cell(bound))
                    .append(retry == null ? "" : "; a second pull: " + retry.cell(bound)).append(" | ")
                    .append(seconds(r)).append(retry == null ? "" : " + " + seconds(retry)).append(" |\n");
        });
        return t.toString();
    }

    private static String seconds(CtrPull r) {
        return String.format(Locale.ROOT, "%.1f s", r.millis() / 1000.0);
    }

    @Override
    public void close() {
        for (Case c : cases.values()) {
            if (c.first() != null) {
                c.first().close();
            }
        }
        registry.close();
    }
}
