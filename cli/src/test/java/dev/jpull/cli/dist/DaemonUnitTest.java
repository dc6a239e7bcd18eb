package dev.jpull.cli.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code dist/systemd/jpull-daemon.service}, key by key; {@code SystemdUnitIT} has {@code systemd-analyze verify}
 * check it too. Every key must be one systemd 252 knows in its section (a typo is ignored by systemd with a log
 * line), and none may change the daemon's view of the file system: a pull writes where its caller asks.
 */
class DaemonUnitTest {
    static final Path UNIT = Dist.REPO.resolve("dist/systemd/jpull-daemon.service");
    private static final Map<String, Set<String>> KNOWN = Map.of(
            "Unit", Set.of("Description", "After", "Wants"),
            "Service", Set.of("Type", "ExecStart", "RuntimeDirectory", "RuntimeDirectoryMode", "UMask", "Environment",
                    "KillSignal", "KillMode", "TimeoutStopSec", "SuccessExitStatus", "Restart", "RestartSec",
                    "LimitNOFILE", "NoNewPrivileges"),
            "Install", Set.of("WantedBy"));

    private static Map<String, Map<String, List<String>>> unit() throws IOException {
        return Dist.parseUnit(Files.readString(UNIT));
    }

    @Test
    void everyKeyIsOneSystemdKnowsAndNoneChangesTheFileSystemView() throws IOException {
        Map<String, Map<String, List<String>>> unit = unit();
        Dist.assertKnownKeys(unit, KNOWN);
        assertThat(unit.get("Service")).doesNotContainKeys("ProtectSystem", "ProtectHome", "PrivateTmp",
                "PrivateDevices", "ReadWritePaths", "RootDirectory", "BindPaths", "TemporaryFileSystem");
    }

    @Test
    void itListensOnRootsDefaultSocketInAPrivateRuntimeDirectory() throws IOException {
        Map<String, List<String>> service = unit().get("Service");
        assertThat(List.of(Dist.one(service, "ExecStart").split(" "))).containsExactly("/usr/local/bin/jpull", "daemon",
                "--socket", "/run/jpull/daemon.sock");
        assertThat(Dist.one(service, "RuntimeDirectory")).isEqualTo("jpull");
        assertThat(Dist.one(service, "RuntimeDirectoryMode")).isEqualTo("0700");
        assertThat(Dist.one(service, "UMask")).as("a root shell's").isEqualTo("0022");
        assertThat(Dist.one(service, "KillSignal")).isEqualTo("SIGTERM");
        assertThat(Dist.one(service, "SuccessExitStatus")).isEqualTo("143");
        assertThat(Dist.one(service, "Restart")).isEqualTo("on-failure");
        assertThat(Dist.one(unit().get("Install"), "WantedBy")).isEqualTo("multi-user.target");
    }

    @Test
    void theLauncherLooksForRootsSocketWhereTheUnitPutsIt() throws IOException {
        assertThat(Files.readString(Dist.REPO.resolve("jpull"))).contains("sock=/run/jpull/daemon.sock");
    }
}
