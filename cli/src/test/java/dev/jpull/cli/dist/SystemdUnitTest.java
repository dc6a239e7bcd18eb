package dev.jpull.cli.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code dist/systemd/jpull-serve.service}, key by key (issue 13, point 5); {@code SystemdUnitIT} has
 * {@code systemd-analyze verify} check it too. Every key must be one systemd 252 knows in its section, so a typo
 * (which systemd ignores with a log line) fails here.
 */
class SystemdUnitTest {
    private static final Map<String, Set<String>> KNOWN = Map.of(
            "Unit", Set.of("Description", "Documentation", "After", "Wants", "Before", "Requires"),
            "Service", Set.of("Type", "ExecStart", "ExecStartPost", "Environment", "KillSignal", "KillMode",
                    "TimeoutStopSec", "SuccessExitStatus", "Restart", "RestartSec", "LimitNOFILE", "StateDirectory",
                    "StateDirectoryMode", "ReadWritePaths", "ProtectSystem", "ProtectHome", "PrivateTmp",
                    "PrivateDevices", "NoNewPrivileges", "ProtectKernelTunables", "ProtectKernelModules",
                    "ProtectKernelLogs", "ProtectControlGroups", "ProtectClock", "ProtectHostname",
                    "RestrictSUIDSGID", "RestrictRealtime", "RestrictNamespaces", "LockPersonality",
                    "RestrictAddressFamilies", "SystemCallArchitectures", "UMask"),
            "Install", Set.of("WantedBy"));
    private static final List<String> BEFORE = List.of("k3s.service", "k3s-agent.service", "rke2-server.service",
            "rke2-agent.service", "containerd.service");

    private static Map<String, Map<String, List<String>>> unit() throws IOException {
        return Dist.parseUnit(Files.readString(Dist.UNIT));
    }

    @Test
    void everyKeyIsOneSystemdKnowsInItsSection() throws IOException {
        Map<String, Map<String, List<String>>> unit = unit();
        Dist.assertKnownKeys(unit, KNOWN);
    }

    @Test
    void itRunsJpullServeOnLoopbackWithTheK3sConfigAndTheStoreOnTheNodesDisk() throws IOException {
        Map<String, List<String>> service = unit().get("Service");
        assertThat(List.of(Dist.one(service, "ExecStart").split(" "))).containsExactly("/usr/local/bin/jpull", "serve",
                "--listen", "127.0.0.1:5050", "--config", "/etc/rancher/k3s/registries.yaml", "--store",
                "/var/lib/jpull/serve");
        assertThat(Dist.one(service, "ExecStartPost")).as("waits for the listening port")
                .contains("/dev/tcp/127.0.0.1/5050");
        assertThat(Dist.one(service, "StateDirectory")).isEqualTo("jpull");
        assertThat(Dist.one(service, "ReadWritePaths")).isEqualTo("/var/lib/jpull");
    }

    @Test
    void itStartsBeforeK3sRke2AndContainerdAndIsWantedByThem() throws IOException {
        Map<String, Map<String, List<String>>> unit = unit();
        assertThat(List.of(Dist.one(unit.get("Unit"), "Before").split(" "))).containsExactlyElementsOf(BEFORE);
        assertThat(List.of(Dist.one(unit.get("Install"), "WantedBy").split(" "))).startsWith("multi-user.target")
                .containsAll(BEFORE);
    }

    @Test
    void itStopsGracefullyAndRestartsOnFailure() throws IOException {
        Map<String, List<String>> service = unit().get("Service");
        assertThat(Dist.one(service, "KillSignal")).isEqualTo("SIGTERM");
        assertThat(Integer.parseInt(Dist.one(service, "TimeoutStopSec"))).as("seconds for in-flight downloads")
                .isGreaterThanOrEqualTo(60);
        assertThat(Dist.one(service, "Restart")).isEqualTo("on-failure");
        assertThat(Dist.one(service, "SuccessExitStatus")).isEqualTo("143");
    }

    @Test
    void itIsHardenedWithoutBreakingTheJvm() throws IOException {
        Map<String, List<String>> service = unit().get("Service");
        assertThat(Dist.one(service, "NoNewPrivileges")).isEqualTo("yes");
        assertThat(Dist.one(service, "ProtectSystem")).isEqualTo("strict");
        assertThat(Dist.one(service, "PrivateTmp")).isEqualTo("yes");
        assertThat(service).as("the JIT needs writable executable memory").doesNotContainKey("MemoryDenyWriteExecute");
        assertThat(service.get("Environment")).as("no class-data archive under a read-only /usr")
                .contains("JPULL_CDS=0");
    }
}
