package dev.jpull.cli.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unit {@code dist/install-serve.sh} installs, checked by systemd's own {@code systemd-analyze verify} (from the
 * Debian package {@code systemd}, which {@code .ci/run} installs), and the launcher it installs runs the real jar
 * ({@code cli/target/jpull.jar}, packaged before the integration tests run).
 */
class SystemdUnitIT {
    private static final String ANALYZE = "systemd-analyze";

    @TempDir
    Path tmp;

    private static Dist.Run verify(Path unit) throws Exception {
        return Dist.run(List.of(ANALYZE, "verify", "--man=no", unit.toString()), null);
    }

    /** Installs into tmp/usr and tmp/units without starting anything; returns the installed unit. */
    private Path install() throws Exception {
        Dist.Run install = Dist.run(List.of("bash", Dist.INSTALL.toString(), "--prefix",
                tmp.resolve("usr").toString(), "--unit-dir", tmp.resolve("units").toString(), "--no-start"), null);
        assertThat(install.exit()).as(install.err()).isZero();
        return tmp.resolve("units/jpull-serve.service");
    }

    @Test
    void systemdAcceptsTheInstalledUnitAndTheInstalledLauncherRuns() throws Exception {
        Path unit = install();
        Path prefix = tmp.resolve("usr");

        Dist.Run version = Dist.run(List.of(prefix.resolve("bin/jpull").toString(), "--version"), null);
        assertThat(version.exit()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("jpull ");

        Dist.Run v = verify(unit);
        assertThat(v.exit()).as(v.out() + v.err()).isZero();
        assertThat(v.out() + v.err()).as("no warning either (systemd ignores a bad line with a warning)").isEmpty();
        for (String daily : new String[] {"jpull-serve-prune.service", "jpull-serve-prune.timer",
            "jpull-daemon.service"}) {
            Dist.Run d = verify(unit.resolveSibling(daily));
            assertThat(d.exit()).as(daily + ": " + d.out() + d.err()).isZero();
            assertThat(d.out() + d.err()).as(daily).isEmpty();
        }
        Dist.Run prune = Dist.run(List.of(prefix.resolve("bin/jpull").toString(), "prune", "--blobs", "--store",
                tmp.resolve("store").toString()), null);
        assertThat(prune.exit()).as("the clean-up's command line: " + prune.err()).isZero();
    }

    @Test
    void verifyIsNotVacuousAMisspelledKeyOrAMissingProgramIsReported() throws Exception {
        Path unit = install();
        Path units = unit.getParent();
        String text = Files.readString(unit);

        Path typo = Files.writeString(units.resolve("typo.service"), text.replace("KillSignal=", "KillSignl="));
        Dist.Run t = verify(typo);
        assertThat(t.out() + t.err()).contains("Unknown key", "KillSignl");

        Path missing = Files.writeString(units.resolve("missing.service"),
                text.replace(tmp.resolve("usr/bin/jpull").toString(), tmp.resolve("nowhere/jpull").toString()));
        Dist.Run m = verify(missing);
        assertThat(m.exit()).isNotZero();
        assertThat(m.out() + m.err()).contains("is not executable");
    }
}
