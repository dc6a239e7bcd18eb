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
 * The README's "Using the library" example is {@link #pull} below, character for character (the test checks
 * that); {@link ReadmeExampleIT} shows that it works against a real registry.
 */
class ReadmeExampleTest {

    // --- the README example, verbatim (between the markers) ---
    // README-EXAMPLE-BEGIN
    /** Pulls {@code image} as a K3s node configured by {@code registriesYaml} would; logs failover. */
    static PullResult pull(Path registriesYaml, Path store, String image, PrintStream log) {
        PullListener events = new PullListener() {
            @Override
            public void attemptFailed(Attempt a) {
                log.println("failed: " + a.endpoint() + " " + a.target() + ": " + a.outcome().label());
            }

            @Override
            public void recovered(Attempt a) {
                log.println("recovered: " + a.endpoint() + " " + a.target());
            }

            @Override
            public void blobDone(BlobResult b) {
                log.println("blob " + b.digest() + (b.cached() ? " cached" : " from " + b.endpoint()));
            }
        };
        Jpull jpull = Jpull.builder()
                .config(RegistriesConfig.load(registriesYaml)) // ConfigException if malformed
                .store(store)                                  // an OCI image layout
                .listener(events)                              // called from several threads
                .build();                                      // thread-safe: share it
        try {
            PullResult result = jpull.pull(image);
            log.println("digest " + result.digest() + " from " + result.endpoint());
            for (Attempt a : result.attempts()) {
                log.println("attempt " + a.endpoint() + " " + a.target() + " -> " + a.outcome().label()
                        + " in " + a.durationMs() + " ms");
            }
            return result;
        } catch (PullFailedException e) { // every endpoint failed for the manifest or a blob
            for (Attempt a : e.attempts()) {
                log.println("attempt " + a.endpoint() + " -> " + a.outcome().label() + " " + a.error());
            }
            throw e;
        }
    }
    // README-EXAMPLE-END

    @Test
    void theReadmeShowsThisExampleVerbatim() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher block = Pattern.compile("(?s)```java\\n(.*?)```").matcher(readme);
        String source = Files.readString(Path.of("src", "test", "java", "dev", "jpull", "ReadmeExampleTest.java"));
        String example = source.substring(source.indexOf("// README-EXAMPLE-BEGIN\n") + 24,
                source.indexOf("    // README-EXAMPLE-END"));
        List<String> blocks = block.results().map(m -> m.group(1)).toList();
        String imports = "import dev.jpull.*;\nimport dev.jpull.RegistriesConfig;\n"
                + "import java.io.PrintStream;\nimport java.nio.file.Path;\n\n";
        assertThat(blocks).contains(imports + "final class PullWithFailover {\n" + example + "}\n");
    }
}
