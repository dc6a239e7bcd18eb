package dev.jpull;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Ask the registry without pulling" example is {@link #ask} below, character for character (the test
 * checks that); {@link QueryExampleIT} shows that it works against a real registry behind a dead mirror.
 */
class QueryExampleTest {

    // --- the README example, verbatim (between the markers) ---
    // README-QUERY-EXAMPLE-BEGIN
    /** What {@code image} is now and which tags its repository has, without pulling; logs failover. */
    static InspectResult ask(Path registriesYaml, Path store, String image, String repository, PrintStream log) {
        Jpull jpull = Jpull.builder()
                .config(RegistriesConfig.load(registriesYaml)) // the plan, credentials and failover of a pull
                .store(store)                                  // only --store reads need it: nothing is written
                .build();
        try {
            DigestResult digest = jpull.digest(image);         // HEAD; an index's own digest, as skopeo's
            log.println("digest " + digest.digest() + " from " + digest.endpoint());

            InspectResult inspected = jpull.inspect(image, "linux/amd64"); // an index is walked to the platform
            ImageInfo info = inspected.image();                // from the config blob, verified
            log.println(Printable.escape(info.platform() + " created " + info.created() + ", "
                    + info.layers().size() + " layers, " + info.layersSize() + " bytes, cmd " + info.cmd()));
            log.println("manifest: " + inspected.rawManifest().length + " bytes, config: "
                    + inspected.rawConfig().length + " bytes");
            for (Attempt a : inspected.attempts()) {
                log.println("attempt " + a.endpoint() + " " + a.target() + " -> " + a.outcome().label());
            }

            TagList tags = jpull.tags(repository);             // every page of the tag list
            log.println(Printable.escape("tags " + String.join(", ", tags.tags())));
            return inspected;
        } catch (PullFailedException e) {                      // every endpoint failed
            for (Attempt a : e.attempts()) {
                log.println("attempt " + a.endpoint() + " -> " + a.outcome().label() + " " + a.error());
            }
            throw e;
        }
    }
    // README-QUERY-EXAMPLE-END

    @Test
    void theReadmeShowsThisExampleVerbatim() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher block = Pattern.compile("(?s)```java\\n(.*?)```").matcher(readme);
        String source = Files.readString(Path.of("src", "test", "java", "dev", "jpull", "QueryExampleTest.java"));
        String begin = "// README-QUERY-EXAMPLE-BEGIN\n";
        String example = source.substring(source.indexOf(begin) + begin.length(),
                source.indexOf("    // README-QUERY-EXAMPLE-END"));
        List<String> blocks = block.results().map(m -> m.group(1)).toList();
        String imports = "import dev.jpull.*;\nimport java.io.PrintStream;\nimport java.nio.file.Path;\n\n";
        assertThat(blocks).contains(imports + "final class AskTheRegistry {\n" + example + "}\n");
    }
}
