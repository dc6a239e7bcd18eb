package dev.jpull;

/**
 * A setting of a configuration file as the user wrote it: its full key and where it was written.
 *
 * @param key      the dotted key, e.g. {@code configs."127.0.0.1:5443".tls.ca_file} or
 *                 {@code host."https://mirror:5000".ca}
 * @param location where its value was written; the line and column are 0 when unknown
 */
public record ConfigSetting(String key, ConfigLocation location) {
    /** {@code FILE:LINE:COL: KEY: problem}, or {@code KEY: problem} when no file is known. */
    public String problem(String problem) {
        String keyed = key + ": " + problem;
        return location == null || location.file() == null ? keyed : location + ": " + keyed;
    }

    /** A {@link ConfigException} for {@code problem} at this setting. */
    public ConfigException error(String problem, Throwable cause) {
        if (location == null || location.file() == null) {
            return new ConfigException(key + ": " + problem, cause);
        }
        ConfigException e = new ConfigException(location.file(), location.line(), location.column(),
                key + ": " + problem);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
