package dev.jpull.testdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build's split of the tests holds for every module: Surefire ({@code mvn test}) runs the classes named
 * {@code *Test}, Failsafe ({@code mvn verify}) those named {@code *IT}. A class with test methods named otherwise
 * would run in neither; a {@code *Test} class using a fixture that starts an outside program would break
 * {@code mvn test} on a machine with only a JDK and Maven ({@code .ci/unit-only} proves the rest).
 */
class TestClassNamesTest {
    private static final Pattern TEST_METHOD = Pattern.compile(
            "@([\\w.]+\\.)?(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate)\\b");
    /**
     * Fixtures that run docker-registry, skopeo or openssl (Certs, TokenServer and TestPki call openssl), and the
     * names of outside programs as a string of their own (a command to start).
     */
    private static final Pattern OUTSIDE_PROGRAM = Pattern.compile(
            "\\b(RegistryFixture|ContainerdFixture|Skopeo|Certs|TokenServer|TestPki)\\b"
                    + "|\"(docker-registry|skopeo|containerd|ctr|runc|tinyproxy|openssl|htpasswd|setpriv|curl|mount"
                    + "|unshare|chroot)\"");

    private static List<Path> testSources() throws IOException {
        try (Stream<Path> modules = Files.list(Path.of(".."))) {
            return modules.map(m -> m.resolve("src/test/java")).filter(Files::isDirectory).flatMap(dir -> {
                try (Stream<Path> files = Files.walk(dir)) {
                    return files.filter(f -> f.toString().endsWith(".java")).toList().stream();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String className(Path file) {
        return file.getFileName().toString().replaceFirst("\\.java$", "");
    }

    @Test
    void everyClassWithTestsIsNamedTestOrIT() throws IOException {
        List<Path> sources = testSources();
        assertThat(sources).as("test sources of client, cli and testdata")
                .anyMatch(f -> className(f).equals("OciStoreTest"))
                .anyMatch(f -> className(f).equals("MainTest"))
                .anyMatch(f -> className(f).equals("TestClassNamesTest"));

        List<Path> misnamed = sources.stream().filter(f -> TEST_METHOD.matcher(read(f)).find())
                .filter(f -> !className(f).endsWith("Test") && !className(f).endsWith("IT")).toList();

        assertThat(misnamed).as("classes with tests that neither Surefire nor Failsafe would run").isEmpty();
    }

    @Test
    void noUnitTestUsesAFixtureThatStartsAnOutsideProgram() throws IOException {
        List<Path> offending = testSources().stream().filter(f -> className(f).endsWith("Test"))
                .filter(f -> !className(f).equals("TestClassNamesTest"))
                .filter(f -> OUTSIDE_PROGRAM.matcher(read(f)).find()).toList();

        assertThat(offending).as("*Test classes that need docker-registry, skopeo, openssl, ...: name them *IT")
                .isEmpty();
    }
}
