package dev.jpull.cli.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dist/install-serve.sh} without systemd (issue 13, point 5): a {@code systemctl} of the test's own on
 * {@code PATH} records what the script asks of it; the jar is a stand-in file (the script copies it as it is).
 */
class InstallServeTest {
    @TempDir
    Path tmp;
    private Path bin;
    private Path calls;
    private Path jar;

    @BeforeEach
    void fakes() throws IOException {
        bin = Files.createDirectories(tmp.resolve("fake-bin"));
        calls = tmp.resolve("systemctl.calls");
        Path systemctl = Files.writeString(bin.resolve("systemctl"), "#!/bin/sh\necho \"$*\" >>'" + calls + "'\n");
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        jar = Files.writeString(tmp.resolve("stand-in.jar"), "not really a jar");
    }

    private Dist.Run install(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", Dist.INSTALL.toString()));
        cmd.addAll(List.of(args));
        return Dist.run(cmd, bin);
    }

    @Test
    void aDestdirStagesTheLauncherTheJarAndTheUnitAndStartsNothing() throws Exception {
        Path root = tmp.resolve("root");
        Dist.Run r = install("--destdir", root.toString(), "--jar", jar.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(calls).doesNotExist();
        assertThat(root.resolve("usr/local/lib/jpull/jpull")).hasSameTextualContentAs(Dist.REPO.resolve("jpull"))
                .isExecutable();
        assertThat(root.resolve("usr/local/lib/jpull/cli/target/jpull.jar")).hasSameTextualContentAs(jar);
        assertThat(Files.readSymbolicLink(root.resolve("usr/local/bin/jpull"))).isEqualTo(Path.of(
                "../lib/jpull/jpull"));
        assertThat(root.resolve("usr/local/bin/jpull")).as("the link resolves").hasSameTextualContentAs(
                Dist.REPO.resolve("jpull"));
        Path unit = root.resolve("etc/systemd/system/jpull-serve.service");
        assertThat(unit).hasSameTextualContentAs(Dist.UNIT);
        assertThat(Files.getPosixFilePermissions(unit)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(root.resolve("etc/systemd/system/jpull-serve-prune.service"))
                .hasSameTextualContentAs(Dist.REPO.resolve("dist/systemd/jpull-serve-prune.service"));
        assertThat(root.resolve("etc/systemd/system/jpull-serve-prune.timer"))
                .hasSameTextualContentAs(Dist.REPO.resolve("dist/systemd/jpull-serve-prune.timer"));
        assertThat(root.resolve("etc/systemd/system/jpull-daemon.service"))
                .hasSameTextualContentAs(DaemonUnitTest.UNIT);
        assertThat(r.err()).contains("staged below " + root + "; on the node run: systemctl daemon-reload && "
                + "systemctl enable --now jpull-serve.service jpull-serve-prune.timer jpull-daemon.service");
    }

    @Test
    void anInstallWritesItsPrefixIntoTheUnitThenReloadsAndEnablesIt() throws Exception {
        Path prefix = tmp.resolve("usr");
        Path units = tmp.resolve("units");
        Dist.Run r = install("--prefix", prefix.toString(), "--unit-dir", units.toString(), "--jar", jar.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readAllLines(calls)).containsExactly("daemon-reload", "enable --now jpull-serve.service",
                "enable --now jpull-serve-prune.timer", "enable jpull-daemon.service",
                "restart jpull-daemon.service");
        assertThat(Dist.parseUnit(Files.readString(units.resolve("jpull-daemon.service"))).get("Service")
                .get("ExecStart")).containsExactly(prefix + "/bin/jpull daemon --socket /run/jpull/daemon.sock");
        assertThat(Dist.parseUnit(Files.readString(units.resolve("jpull-serve-prune.service"))).get("Service")
                .get("ExecStart")).containsExactly(prefix + "/bin/jpull prune --blobs --older-than 168h --store "
                + "/var/lib/jpull/serve");
        Path unit = units.resolve("jpull-serve.service");
        assertThat(Dist.parseUnit(Files.readString(unit)).get("Service").get("ExecStart")).containsExactly(prefix
                + "/bin/jpull serve --listen 127.0.0.1:5050 --config /etc/rancher/k3s/registries.yaml --store "
                + "/var/lib/jpull/serve");
        assertThat(Files.readString(unit).replace(prefix + "/bin/jpull ", "/usr/local/bin/jpull "))
                .as("nothing else changes").isEqualTo(Files.readString(Dist.UNIT));
        assertThat(prefix.resolve("bin/jpull")).hasSameTextualContentAs(Dist.REPO.resolve("jpull"));

        Dist.Run noStart = install("--prefix", prefix.toString(), "--unit-dir", units.toString(), "--jar",
                jar.toString(), "--no-start");
        assertThat(noStart.exit()).as(noStart.err()).isZero();
        assertThat(Files.readAllLines(calls)).as("--no-start").hasSize(5);
    }

    @Test
    void noDaemonLeavesItsUnitOut() throws Exception {
        Path units = tmp.resolve("units");
        Dist.Run r = install("--prefix", tmp.resolve("usr").toString(), "--unit-dir", units.toString(), "--jar",
                jar.toString(), "--no-daemon");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(units.resolve("jpull-daemon.service")).doesNotExist();
        assertThat(Files.readAllLines(calls)).containsExactly("daemon-reload", "enable --now jpull-serve.service",
                "enable --now jpull-serve-prune.timer");
    }

    @Test
    void aDryRunPrintsEveryStepAndChangesNothing() throws Exception {
        Path prefix = tmp.resolve("usr");
        Dist.Run r = install("--dry-run", "--prefix", prefix.toString(), "--unit-dir", tmp.resolve("units").toString(),
                "--jar", jar.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(calls).doesNotExist();
        assertThat(prefix).doesNotExist();
        assertThat(tmp.resolve("units")).doesNotExist();
        assertThat(r.out().lines()).contains("+ ln -sfn -- ../lib/jpull/jpull " + prefix + "/bin/jpull",
                "+ write_unit " + Dist.UNIT + " " + tmp.resolve("units/jpull-serve.service"),
                "+ systemctl daemon-reload", "+ systemctl enable --now jpull-serve.service",
                "+ systemctl enable --now jpull-serve-prune.timer", "+ systemctl enable jpull-daemon.service",
                "+ systemctl restart jpull-daemon.service");
        assertThat(r.out().lines().toList().indexOf("+ systemctl daemon-reload")).as("files first")
                .isEqualTo(r.out().lines().count() - 5);
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() throws Exception {
        for (String[] args : new String[][] {{"--bogus"}, {"--prefix"}, {"--prefix", "relative/dir"},
                {"--jar", tmp.resolve("missing.jar").toString()}}) {
            Dist.Run r = install(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().lines()).as(r.err()).hasSize(1).allMatch(l -> l.startsWith("install-serve.sh: "));
        }
        assertThat(calls).doesNotExist();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("fake-bin", "stand-in.jar");
        }
    }
}
