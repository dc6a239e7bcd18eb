package dev.jpull;

/** One {@code configs.<host[:port]>} entry; either part may be null. */
public record RegistryConfig(AuthConfig auth, TlsConfig tls) {
    public static final RegistryConfig EMPTY = new RegistryConfig(null, null);
}
