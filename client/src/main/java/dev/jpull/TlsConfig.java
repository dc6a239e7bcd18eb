package dev.jpull;

import java.nio.file.Path;

/**
 * {@code configs.<host>.tls} of registries.yaml (or the TLS settings of a hosts.toml host or a CRI
 * {@code configs} entry); empty strings are null. Paths as written (resolved against the working directory when
 * relative, as K3s does).
 *
 * @param caFileSetting   where {@code caFile} was written (key and position), for messages; null when unknown
 * @param certFileSetting where {@code certFile} was written; null when unknown
 * @param keyFileSetting  where {@code keyFile} was written; null when unknown
 *
 * <p>Two values are equal when their files and {@code insecureSkipVerify} are: where they were written is
 * provenance for messages, not part of the value.
 */
public record TlsConfig(Path caFile, Path certFile, Path keyFile, boolean insecureSkipVerify,
                        ConfigSetting caFileSetting, ConfigSetting certFileSetting, ConfigSetting keyFileSetting) {

    /** Settings without positions (built in code). */
    public TlsConfig(Path caFile, Path certFile, Path keyFile, boolean insecureSkipVerify) {
        this(caFile, certFile, keyFile, insecureSkipVerify, null, null, null);
    }

    public boolean isSet() {
        return caFile != null || certFile != null || keyFile != null || insecureSkipVerify;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsConfig t && java.util.Objects.equals(caFile, t.caFile)
                && java.util.Objects.equals(certFile, t.certFile) && java.util.Objects.equals(keyFile, t.keyFile)
                && insecureSkipVerify == t.insecureSkipVerify;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(caFile, certFile, keyFile, insecureSkipVerify);
    }

    /** The same files and verification with the given positions. */
    public TlsConfig withSettings(ConfigSetting ca, ConfigSetting cert, ConfigSetting key) {
        return new TlsConfig(caFile, certFile, keyFile, insecureSkipVerify, ca, cert, key);
    }
}
