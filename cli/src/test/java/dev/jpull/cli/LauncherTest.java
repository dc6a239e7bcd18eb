package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./jpull} launcher on a machine that lacks what it needs: it says in one line what is missing and how
 * to get it (a JDK 17+ and Maven, or {@code ./demo/run.sh}) instead of {@code mvn: command not found}. Each case
 * runs a copy of the launcher in a fresh directory (no jar built there) with a {@code PATH} of only the tools
 * named.
 */
class LauncherTest {
    private static final String GET_IT = "install a JDK 17 or newer and Maven (Debian/Ubuntu: sudo apt-get install "
            + "openjdk-17-jdk-headless maven), or run ./demo/run.sh, which installs them";

    @TempDir
    Path tmp;

    @Test
    void withoutMavenItSaysMavenIsMissingAndHowToGetIt() throws Exception {
        Run r = launcher(List.of("java", "javac"), null, "--help");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("jpull: " + tmp.resolve("repo/cli/target/jpull.jar") + " is not built yet, "
                + "and building it needs Maven (mvn not found); " + GET_IT + "\n");
    }

    @Test
    void withoutJavaItSaysAJdkIsMissing() throws Exception {
        Run r = launcher(List.of(), null, "--help");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("jpull: java not found: jpull needs Java 17 or newer; " + GET_IT + "\n");
    }

    @Test
    void withAJavaRuntimeButNoCompilerItSaysAJdkIsNeeded() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("fake"));
        script(bin.resolve("mvn"), "echo mvn should not run >&2; exit 3");
        Run r = launcher(List.of("java"), null, "--help", bin.resolve("mvn"));

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("building it needs a JDK (javac not found, only a Java runtime); " + GET_IT)
                .doesNotContain("mvn should not run").hasLineCount(1);
    }

    @Test
    void anOldJavaIsNamedWithItsVersion() throws Exception {
        Path jdk = Files.createDirectories(tmp.resolve("jdk11/bin"));
        script(jdk.resolve("java"), "echo 'java should not run' >&2; exit 3");
        Files.writeString(jdk.resolveSibling("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"11.0.2\"\n");

        Run r = launcher(List.of(), jdk.getParent(), "--help");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("jpull: " + jdk.resolve("java") + " is Java 11, jpull needs Java 17 or newer; "
                + GET_IT + "\n");
    }

    @Test
    void aJavaHomeWithoutJavaIsNamed() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("nojdk"));

        Run r = launcher(List.of("java", "javac"), home, "--help");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("jpull: JAVA_HOME is " + home + ", but " + home.resolve("bin/java")
                + " is not a program: unset JAVA_HOME or " + GET_IT + "\n");
    }

    @Test
    void aJdk25OrNewerGetsAnAheadOfTimeCacheAndEachJvmItsOwnArchive() throws Exception {
        Path jdk25 = fakeJdk(tmp.resolve("jdks/jdk-25"), "25.0.1").getParent().getParent();
        Path jdk17 = fakeJdk(tmp.resolve("jdks/jdk-17"), "17.0.2").getParent().getParent();
        builtJar();

        Run on25 = launcher(List.of(), jdk25, "--help");
        Run on17 = launcher(List.of(), jdk17, "--help");
        Run again25 = launcher(List.of(), jdk25, "--help");

        assertThat(on25.exit()).as(on25.err()).isZero();
        assertThat(last(on25)).startsWith("java 25.0.1 ran: ").contains(" -Xlog:aot*=off ")
                .contains(" -XX:AOTCache=" + tmp.resolve("repo/cli/target/jpull-" + name(jdk25) + ".aot")
                        + " -jar ")
                .endsWith(" --help");
        assertThat(last(on17)).startsWith("java 17.0.2 ran: ").doesNotContain("aot")
                .contains(" -XX:SharedArchiveFile=" + tmp.resolve("repo/cli/target/jpull-" + name(jdk17) + ".jsa")
                        + " -jar ");
        assertThat(last(again25)).as("the other JVM's archive did not replace this one's").isEqualTo(last(on25));
        try (var files = Files.list(tmp.resolve("repo/cli/target"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("the jar, one archive per JVM, no training leftovers").hasSize(3)
                    .anyMatch(f -> f.endsWith(".aot")).anyMatch(f -> f.endsWith(".jsa"));
        }
    }

    @Test
    void withoutJavaHomeTheJavaOnPathRuns() throws Exception {
        Path onPath = fakeJdk(tmp.resolve("other/jdk-21"), "21.0.4");
        builtJar();

        Run r = launcher(List.of(), null, "--help", onPath);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(last(r)).startsWith("java 21.0.4 ran: ").endsWith(" --help");
    }

    /** The archive name of a JDK: its directory with every character but letters, digits, '.' and '-' as '_'. */
    private static String name(Path jdk) throws IOException {
        return jdk.toRealPath().toString().replaceAll("[^A-Za-z0-9.-]", "_");
    }

    private static String last(Run r) {
        return r.out().lines().reduce((a, b) -> b).orElseThrow();
    }

    private record Run(int exit, String out, String err) {
    }

    /** A JDK at {@code home} whose java says which it is, and writes the archive a training run asks for. */
    private static Path fakeJdk(Path home, String version) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        script(bin.resolve("java"), "for a in \"$@\"; do case $a in -XX:AOTCacheOutput=*|-XX:ArchiveClassesAtExit=*)"
                + " echo archive > \"${a#*=}\";; esac; done\necho \"java " + version + " ran: $*\"");
        return bin.resolve("java");
    }

    private void builtJar() throws IOException {
        Files.createDirectories(tmp.resolve("repo/cli/target"));
        Files.writeString(tmp.resolve("repo/cli/target/jpull.jar"), "not a jar: the fake java does not read it");
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * Runs a copy of {@code ./jpull} with a {@code PATH} holding only the launcher's shell tools, {@code tools}
     * taken from this machine (the JDK's {@code java}, {@code javac}) and {@code extra} programs.
     */
    private Run launcher(List<String> tools, Path javaHome, String arg, Path... extra)
            throws IOException, InterruptedException {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Path launcher = Files.copy(Path.of("..", "jpull"), repo.resolve("jpull"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        try (var old = Files.list(bin)) {
            for (Path f : old.toList()) {
                Files.delete(f);
            }
        }
        Path jdkBin = Path.of(System.getProperty("java.home"), "bin");
        for (String tool : List.of("bash", "sh", "readlink", "mktemp", "cat", "rm", "head", "mv")) {
            link(bin, tool, which(tool));
        }
        for (String tool : tools) {
            link(bin, tool, jdkBin.resolve(tool));
        }
        for (Path p : extra) {
            link(bin, p.getFileName().toString(), p);
        }
        ProcessBuilder pb = new ProcessBuilder(bin.resolve("bash").toString(), launcher.toString(), arg);
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("HOME", tmp.toString());
        if (javaHome != null) {
            pb.environment().put("JAVA_HOME", javaHome.toString());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("the launcher finished").isTrue();
        return new Run(p.exitValue(), out, err.join());
    }

    /** {@code bin/name} runs {@code target} (a script, not a link: JUnit warns about links leaving the temp dir). */
    private static void link(Path bin, String name, Path target) throws IOException {
        assertThat(target).as(name).isExecutable();
        script(bin.resolve(name), "exec '" + target.toRealPath() + "' \"$@\"");
    }

    private static Path which(String tool) {
        for (String dir : System.getenv("PATH").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(tool + " is not on PATH");
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
