package dev.jpull.cli.option;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultsTest {
    private static final Path HOME = Path.of("/home/u");

    @Test
    void storeComesFromJpullStoreFirst() {
        Env env = Env.of(Map.of("JPULL_STORE", "/srv/store", "XDG_DATA_HOME", "/xdg"), HOME);
        assertThat(Defaults.store(env)).isEqualTo(Path.of("/srv/store"));
    }

    @Test
    void storeFallsBackToXdgDataHome() {
        Env env = Env.of(Map.of("XDG_DATA_HOME", "/xdg"), HOME);
        assertThat(Defaults.store(env)).isEqualTo(Path.of("/xdg/jpull/store"));
    }

    @Test
    void storeFallsBackToLocalShareUnderHome() {
        assertThat(Defaults.store(Env.of(Map.of(), HOME))).isEqualTo(Path.of("/home/u/.local/share/jpull/store"));
        // empty and relative XDG_DATA_HOME are ignored, as the XDG spec says
        assertThat(Defaults.store(Env.of(Map.of("XDG_DATA_HOME", "", "JPULL_STORE", ""), HOME)))
                .isEqualTo(Path.of("/home/u/.local/share/jpull/store"));
        assertThat(Defaults.store(Env.of(Map.of("XDG_DATA_HOME", "rel"), HOME)))
                .isEqualTo(Path.of("/home/u/.local/share/jpull/store"));
    }

    @Test
    void configComesFromJpullConfigEvenWhenK3sFileExists() {
        Env env = new Env(Map.of("JPULL_CONFIG", "/tmp/r.yaml")::get, HOME, p -> true);
        assertThat(Defaults.configFile(env)).contains(Path.of("/tmp/r.yaml"));
    }

    @Test
    void configFallsBackToK3sFileWhenItExists() {
        Env env = new Env(Map.<String, String>of()::get, HOME, Defaults.K3S_REGISTRIES::equals);
        assertThat(Defaults.configFile(env)).contains(Path.of("/etc/rancher/k3s/registries.yaml"));
    }

    @Test
    void noConfigWhenNeitherIsThere() {
        assertThat(Defaults.configFile(Env.of(Map.of(), HOME))).isEmpty();
    }

    @Test
    void commandLineOptionsWinOverTheEnvironment() {
        CommonOptions options = new CommonOptions();
        options.configOption.config = Path.of("given.yaml");
        options.storeOption.store = Path.of("given-store");
        Env env = new Env(Map.of("JPULL_CONFIG", "/env.yaml", "JPULL_STORE", "/env-store")::get, HOME, p -> true);

        assertThat(options.configFile(env)).contains(Path.of("given.yaml"));
        assertThat(options.storeDir(env)).isEqualTo(Path.of("given-store"));
    }
}
