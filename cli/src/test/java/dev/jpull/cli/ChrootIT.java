package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store commands in a real chroot, as sbuild, pbuilder and image builders run them: a root directory that is
 * not a mount point, so the mount table ({@code /proc/self/mounts}) has no entry for the files jpull writes and
 * {@code Files.getFileStore} fails with "Mount point not found". The chroot is made in a private mount namespace
 * ({@code unshare --mount}) with the JDK, {@code /etc}, {@code /proc} and jpull's class path bound into it; the
 * store and the archive live on the chroot's own root. Needs root (as {@code bash .ci/run} does).
 */
class ChrootIT {
    @TempDir
    Path tmp;

    @Test
    void pullImagesSaveVerifyAndRmiWorkInAChroot() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(Mode.PLAIN)) {
            Path layout = tmp.resolve("layout");
            Image image = new ImageGenerator(23).singlePlatform(layout, "img", 2, 10_000);
            Skopeo.copyToRegistry(layout, "img", reg, "library/app:1");
            String ref = reg.hostPort() + "/library/app:1";
            Path root = Files.createDirectory(tmp.resolve("root"));
            Files.createDirectories(root.resolve("data/home"));

            Run pull = inChroot(root, "pull", "--store", "/data/store", ref);
            assertThat(pull.exit()).as(pull.err()).isZero();
            assertThat(pull.out()).contains("Image is up to date for " + image.configDigest());

            Run images = inChroot(root, "images", "--store", "/data/store", "-q");
            assertThat(images.exit()).as(images.err()).isZero();
            assertThat(images.out().lines()).containsExactly(image.configDigest());

            Run save = inChroot(root, "save", "--store", "/data/store", "-o", "/data/app.tar", ref);
            assertThat(save.exit()).as(save.err()).isZero();
            assertThat(save.err()).doesNotContain("Mount point");
            assertThat(save.out().lines()).containsExactly("Saved: " + ref);
            Path archive = root.resolve("data/app.tar");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive))).isEqualTo("rw-r--r--");
            String raw = run(List.of("skopeo", "inspect", "--raw", "oci-archive:" + archive + ":" + ref));
            assertThat(raw).contains(image.configDigest());

            Run verify = inChroot(root, "verify", "--store", "/data/store");
            assertThat(verify.exit()).as(verify.err() + verify.out()).isZero();

            Run rmi = inChroot(root, "rmi", "--store", "/data/store", ref);
            assertThat(rmi.exit()).as(rmi.err()).isZero();
            assertThat(rmi.out().lines()).containsExactly("Deleted: " + ref);
        }
    }

    private record Run(int exit, String out, String err) {
    }

    /**
     * Runs jpull with {@code args} chrooted into {@code root}: a shell in a new mount namespace binds what the JVM
     * needs at the same paths inside {@code root} (nothing at {@code root} itself, which stays a plain directory),
     * then {@code exec chroot}. The mounts vanish with the namespace.
     */
    private Run inChroot(Path root, String... args) throws IOException, InterruptedException {
        String classPath = Stream.of(System.getProperty("jdk.module.path", ""), System.getProperty("java.class.path"))
                .filter(s -> !s.isEmpty()).reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
        Set<Path> binds = new LinkedHashSet<>();
        for (String p : List.of("/usr", "/etc", "/proc", "/dev")) {
            binds.add(Path.of(p));
        }
        binds.add(Path.of(System.getProperty("java.home")).toRealPath());
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isEmpty() && Files.exists(Path.of(entry))) {
                binds.add(Path.of(entry).toRealPath());
            }
        }
        StringBuilder script = new StringBuilder("set -e\n");
        for (String top : List.of("bin", "sbin", "lib", "lib64")) {
            Path p = Path.of("/" + top);
            if (Files.isSymbolicLink(p)) { // merged /usr: the same link inside
                script.append("ln -sfn ").append(q(Files.readSymbolicLink(p).toString())).append(' ')
                        .append(q(root + "/" + top)).append('\n');
            } else if (Files.isDirectory(p)) {
                binds.add(p);
            }
        }
        for (Path b : binds) {
            if (b.startsWith("/usr") && !b.equals(Path.of("/usr"))) {
                continue; // inside the /usr bind already
            }
            String inside = q(root + b.toString());
            script.append(Files.isDirectory(b) ? "mkdir -p " + inside : "mkdir -p \"$(dirname " + inside
                    + ")\" && touch " + inside).append('\n');
            script.append("mount --rbind ").append(q(b.toString())).append(' ').append(inside).append('\n');
        }
        script.append("cd ").append(q(root.toString())).append('\n');
        script.append("exec chroot ").append(q(root.toString())).append(' ')
                .append(q(Path.of(System.getProperty("java.home"), "bin", "java").toRealPath().toString()))
                .append(" -cp ").append(q(classPath)).append(' ').append(Main.class.getName()).append(" \"$@\"\n");
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
                "sh", "-c", script.toString(), "sh"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("JPULL_") || k.startsWith("XDG_"));
        pb.environment().put("HOME", "/data/home");
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("jpull in the chroot finished").isTrue();
        return new Run(p.exitValue(), out, err.join());
    }

    private static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = read(p.getInputStream());
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
