package dev.jpull.cli.option;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.cli.command.UsageException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which containerd (if any) a command works on: --containerd, --namespace, $JPULL_DESTINATION, --store. */
class ContainerdOptionTest {
    private static final Path HOME = Path.of("/home/u");

    private static ContainerdOption.Target target(String containerd, String ns, boolean store, Map<String, String> env) {
        return ContainerdOption.of(containerd, ns).target(Env.of(env, HOME), store);
    }

    @Test
    void noOptionAndNoVariableMeansTheStore() {
        assertThat(target(null, null, false, Map.of())).isNull();
        assertThat(target(null, null, false, Map.of("JPULL_DESTINATION", "store"))).isNull();
    }

    @Test
    void bareContainerdUsesTheDefaultSocketAndKubeletsNamespace() {
        ContainerdOption.Target t = target("", null, false, Map.of());
        assertThat(t.socket()).isEqualTo(Path.of("/run/containerd/containerd.sock"));
        assertThat(t.namespace()).isEqualTo("k8s.io");
        assertThat(t).hasToString("containerd:///run/containerd/containerd.sock?namespace=k8s.io");
    }

    @Test
    void containerdsOwnVariablesAreTheDefaults() {
        ContainerdOption.Target t = target("", null, false,
                Map.of("CONTAINERD_ADDRESS", "unix:///var/run/c.sock", "CONTAINERD_NAMESPACE", "default"));
        assertThat(t.socket()).isEqualTo(Path.of("/var/run/c.sock"));
        assertThat(t.namespace()).isEqualTo("default");
        assertThat(target("/x.sock", "t1", false, Map.of("CONTAINERD_ADDRESS", "/y.sock")))
                .isEqualTo(new ContainerdOption.Target(Path.of("/x.sock"), "t1"));
    }

    @Test
    void jpullDestinationMakesContainerdTheDefaultButAnExplicitStoreWins() {
        assertThat(target(null, null, false, Map.of("JPULL_DESTINATION", ContainerdOption.CONTAINERD)).socket())
                .isEqualTo(Path.of("/run/containerd/containerd.sock"));
        assertThat(target(null, null, false, Map.of("JPULL_DESTINATION", "containerd:/run/k3s/c.sock")).socket())
                .isEqualTo(Path.of("/run/k3s/c.sock"));
        assertThat(target(null, null, false, Map.of("JPULL_DESTINATION", "containerd:///run/k3s/c.sock")).socket())
                .isEqualTo(Path.of("/run/k3s/c.sock"));
        assertThat(target(null, null, true, Map.of("JPULL_DESTINATION", ContainerdOption.CONTAINERD))).isNull();
    }

    @Test
    void badCombinationsAndValuesAreUsageErrors() {
        assertThatThrownBy(() -> target("", null, true, Map.of())).isInstanceOf(UsageException.class)
                .hasMessageContaining("--containerd and --store");
        assertThatThrownBy(() -> target(null, "k8s.io", false, Map.of())).isInstanceOf(UsageException.class)
                .hasMessageContaining("--namespace needs --containerd");
        assertThatThrownBy(() -> target("", "bad ns", false, Map.of())).isInstanceOf(UsageException.class)
                .hasMessageContaining("namespace 'bad ns' is not valid");
        assertThatThrownBy(() -> target("", "-x", false, Map.of())).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> target("tcp://1.2.3.4:1", null, false, Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("not a unix socket path");
        assertThatThrownBy(() -> target(null, null, false, Map.of("JPULL_DESTINATION", "docker")))
                .isInstanceOf(UsageException.class).hasMessageContaining("$JPULL_DESTINATION=docker");
    }
}
