package dev.jpull.config;

import java.nio.file.Path;

/** Parser of K3s registries.yaml. Implementation pending in this commit. */
final class RegistriesYaml {
    private RegistriesYaml() {
    }

    static RegistriesConfig parse(Path file) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
