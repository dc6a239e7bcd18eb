package dev.jpull;

import java.nio.file.Path;

/**
 * {@code configs.<host>.tls} of registries.yaml; empty strings are null. Paths as written (resolved against the
 * working directory when relative, as K3s does).
 */
public record TlsConfig(Path caFile, Path certFile, Path keyFile, boolean insecureSkipVerify) {
    public boolean isSet() {
        return caFile != null || certFile != null || keyFile != null || insecureSkipVerify;
    }
}
