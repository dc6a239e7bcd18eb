package dev.jpull.cli.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The repository's {@code dist/} files for the tests: running its scripts, reading its systemd unit. */
final class Dist {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path INSTALL = REPO.resolve("dist/install-serve.sh");
    static final Path UNIT = REPO.resolve("dist/systemd/jpull-serve.service");

    private Dist() {
    }

    record Run(int exit, String out, String err) {
    }

    /** Runs {@code command} with {@code pathFirst} (when not null) before the inherited PATH; bounded wait. */
    static Run run(List<String> command, Path pathFirst) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (pathFirst != null) {
            pb.environment().put("PATH", pathFirst + ":" + System.getenv("PATH"));
        }
        Path out = Files.createTempFile("dist-out", ".txt");
        Path err = Files.createTempFile("dist-err", ".txt");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(command + " did not end within 300 s: " + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * A unit file as systemd reads it: section to key to the values in file order (a key may repeat; comment
     * lines start with {@code #} or {@code ;}; a line ending in a backslash continues on the next one).
     */
    static Map<String, Map<String, List<String>>> parseUnit(String text) {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        String pending = "";
        for (String raw : text.split("\n", -1)) {
            String line = pending + raw.strip();
            pending = "";
            if (line.endsWith("\\")) {
                pending = line.substring(0, line.length() - 1) + " ";
                continue;
            }
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (current == null || eq <= 0) {
                throw new AssertionError("not a unit file line: " + line);
            }
            current.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                    .add(line.substring(eq + 1).strip());
        }
        return sections;
    }

    /** The one value of {@code key} in {@code section}, asserting there is exactly one. */
    static String one(Map<String, List<String>> section, String key) {
        org.assertj.core.api.Assertions.assertThat(section.get(key)).as(key).hasSize(1);
        return section.get(key).get(0);
    }

    /** Asserts {@code unit} has the sections Unit, Service and Install, each with only keys {@code known} lists. */
    static void assertKnownKeys(Map<String, Map<String, List<String>>> unit, Map<String, Set<String>> known) {
        org.assertj.core.api.Assertions.assertThat(unit.keySet()).containsExactly("Unit", "Service", "Install");
        unit.forEach((section, keys) -> org.assertj.core.api.Assertions.assertThat(known.get(section))
                .as("[" + section + "]").containsAll(keys.keySet()));
    }
}
