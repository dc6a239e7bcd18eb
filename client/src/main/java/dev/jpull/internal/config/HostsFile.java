package dev.jpull.internal.config;

import dev.jpull.ConfigLocation;
import dev.jpull.ConfigWarning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One parsed containerd {@code hosts.toml} (containerd {@code docs/hosts.md}, {@code parseHostsFile}).
 *
 * @param file     the file, or the directory for a synthesized entry (Docker certs layout, no directory)
 * @param server   the root entry: {@code server} (null URL when absent or empty) and the root fields
 * @param hosts    the {@code [host."<url>"]} entries in file order (the order containerd tries them)
 * @param warnings keys jpull ignores (unknown keys, {@code header}, {@code dial_timeout}, extra CAs)
 */
public record HostsFile(Path file, Host server, List<Host> hosts, List<ConfigWarning> warnings) {
    /** Capability names, as containerd spells them. */
    public static final Set<String> ALL_CAPABILITIES = Set.of("pull", "resolve", "push", "referrers");

    private static final Set<String> HOST_KEYS = Set.of("capabilities", "ca", "client", "skip_verify",
            "override_path", "header", "dial_timeout", "rewrite");
    private static final Set<String> ROOT_KEYS = union(HOST_KEYS, Set.of("server", "host"));

    public HostsFile {
        hosts = List.copyOf(hosts);
        warnings = List.copyOf(warnings);
    }

    /**
     * One host entry.
     *
     * @param url          the URL as written ({@code [host."<url>"]} key or {@code server}); null for the root
     *                     entry when {@code server} is absent or empty
     * @param capabilities lower-case capability names ({@link #ALL_CAPABILITIES} when not written)
     * @param ca           CA files, relative ones resolved against the hosts.toml directory
     * @param client       client certificates; {@code key} is null when the cert file also holds the key
     * @param skipVerify   {@code skip_verify}, null when not written
     * @param overridePath {@code override_path}
     * @param headers      {@code header} values (jpull does not send them; see {@link #warnings()})
     * @param rewrites     the K3s containerd fork's {@code [host."<url>".rewrite]} table, in file order
     * @param location     where the URL was written ({@code [host."<url>"]} key or {@code server} value), null
     *                     when unknown
     */
    public record Host(String url, Set<String> capabilities, List<Path> ca, List<ClientCert> client,
                       Boolean skipVerify, boolean overridePath, Map<String, List<String>> headers,
                       Map<String, String> rewrites, ConfigLocation location) {
        public Host {
            capabilities = Collections.unmodifiableSet(new LinkedHashSet<>(capabilities));
            ca = List.copyOf(ca);
            client = List.copyOf(client);
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            rewrites = Collections.unmodifiableMap(new LinkedHashMap<>(rewrites));
        }

        /** An entry whose position is not known. */
        public Host(String url, Set<String> capabilities, List<Path> ca, List<ClientCert> client,
                    Boolean skipVerify, boolean overridePath, Map<String, List<String>> headers,
                    Map<String, String> rewrites) {
            this(url, capabilities, ca, client, skipVerify, overridePath, headers, rewrites, null);
        }

        /** An entry with only a URL and all capabilities. */
        public static Host plain(String url) {
            return new Host(url, ALL_CAPABILITIES, List.of(), List.of(), null, false, Map.of(), Map.of());
        }

        public boolean can(String capability) {
            return capabilities.contains(capability);
        }

        /** True when {@code ca}, {@code client} or {@code skip_verify} is written. */
        public boolean hasTls() {
            return !ca.isEmpty() || !client.isEmpty() || skipVerify != null;
        }
    }

    /** A {@code client} certificate; {@code key} null when {@code cert} holds the key too. */
    public record ClientCert(Path cert, Path key) {
    }

    /** Parses {@code file}; relative paths are resolved against its directory. */
    public static HostsFile load(Path file) {
        return parse(file, ConfigText.toml(file));
    }

    /** Parses {@code text} as if read from {@code file}. */
    public static HostsFile parse(Path file, String text) {
        try {
            return read(file, text);
        } catch (ConfigException e) {
            throw TomlFiles.positioned(file, text, e);
        }
    }

    private static HostsFile read(Path file, String text) {
        ObjectNode root = TomlFiles.parse(file, text);
        Path dir = file.toAbsolutePath().getParent();
        List<ConfigWarning> warnings = new ArrayList<>();
        unknownKeys(file, text, 0, root, ROOT_KEYS, "at the top level", warnings);
        String server = TomlFiles.string(file, root, "server", "server");
        Host rootHost = host(file, dir, root, server == null || server.isEmpty() ? null : server, "the top level",
                warnings, server == null ? null : TomlFiles.locate(file, text, server, text.indexOf("server")),
                text, 0);
        List<Host> hosts = new ArrayList<>();
        ObjectNode hostTable = TomlFiles.table(file, root, "host", "host");
        for (String key : TomlFiles.keys(hostTable)) {
            String where = "host." + TomlFiles.quote(key);
            JsonNode node = hostTable.get(key);
            if (!node.isObject()) {
                throw new ConfigException(file, where + " must be a table");
            }
            ConfigLocation at = TomlFiles.locate(file, text, key, 0);
            unknownKeys(file, text, offset(text, at), node, HOST_KEYS, "in " + where, warnings);
            hosts.add(host(file, dir, node, key, where, warnings, at, text, offset(text, at)));
        }
        return new HostsFile(file, rootHost, hosts, warnings);
    }

    private static Host host(Path file, Path dir, JsonNode node, String url, String where,
                             List<ConfigWarning> warnings, ConfigLocation location, String text, int from) {
        String prefix = where.equals("the top level") ? "" : where + ".";
        Set<String> caps;
        try {
            caps = capabilities(file, node, prefix + "capabilities");
        } catch (ConfigException e) {
            ConfigLocation at = TomlFiles.locateKey(file, text, "capabilities", from);
            throw new ConfigException(file, at.line(), at.column(),
                    e.getMessage().substring(String.valueOf(file).length() + 2));
        }
        List<Path> ca = new ArrayList<>();
        for (String s : TomlFiles.strings(file, node, "ca", prefix + "ca")) {
            ca.add(dir.resolve(s));
        }
        List<ClientCert> client = client(file, dir, node.get("client"), prefix + "client");
        Boolean skip = TomlFiles.bool(file, node, "skip_verify", prefix + "skip_verify");
        Boolean override = TomlFiles.bool(file, node, "override_path", prefix + "override_path");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ObjectNode h = TomlFiles.table(file, node, "header", prefix + "header");
        for (String name : TomlFiles.keys(h)) {
            headers.put(name, TomlFiles.strings(file, h, name, prefix + "header." + TomlFiles.quote(name)));
        }
        Map<String, String> rewrites = new LinkedHashMap<>();
        ObjectNode rw = TomlFiles.table(file, node, "rewrite", prefix + "rewrite");
        for (String pattern : TomlFiles.keys(rw)) {
            rewrites.put(pattern, TomlFiles.string(file, rw, pattern, prefix + "rewrite." + TomlFiles.quote(pattern)));
        }
        if (!headers.isEmpty()) {
            warnings.add(warning(file, prefix + "header: jpull does not send extra request headers; ignored"));
        }
        if (node.has("dial_timeout")) {
            warnings.add(warning(file, prefix + "dial_timeout: not used by jpull (see --connect-timeout)"));
        }
        if (ca.size() > 1) {
            warnings.add(warning(file, prefix + "ca: jpull uses only the first CA file (" + ca.get(0) + ")"));
        }
        if (client.size() > 1) {
            warnings.add(warning(file, prefix + "client: jpull uses only the first client certificate"));
        }
        return new Host(url, caps, ca, client, skip, Boolean.TRUE.equals(override), headers, rewrites, location);
    }

    private static Set<String> capabilities(Path file, JsonNode node, String where) {
        if (!node.has("capabilities")) {
            return ALL_CAPABILITIES;
        }
        Set<String> caps = new LinkedHashSet<>();
        for (String c : TomlFiles.strings(file, node, "capabilities", where)) {
            String lower = c.toLowerCase(Locale.ROOT);
            if (!ALL_CAPABILITIES.contains(lower)) {
                throw new ConfigException(file, where + ": unknown capability \"" + c
                        + "\" (expected pull, resolve, push or referrers)"
                        + DidYouMean.hint(c, List.of("pull", "resolve", "push", "referrers")));
            }
            caps.add(lower);
        }
        return caps;
    }

    /** containerd accepts a string, an array of strings, or an array of {@code [cert, key]} pairs. */
    private static List<ClientCert> client(Path file, Path dir, JsonNode v, String where) {
        List<ClientCert> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isTextual()) {
            out.add(new ClientCert(dir.resolve(v.asText()), null));
            return out;
        }
        if (!v.isArray()) {
            throw new ConfigException(file, where + " must be a string or an array");
        }
        for (JsonNode e : v) {
            if (e.isTextual()) {
                out.add(new ClientCert(dir.resolve(e.asText()), null));
            } else if (e.isArray() && e.size() >= 1 && e.size() <= 2 && e.get(0).isTextual()
                    && (e.size() == 1 || e.get(1).isTextual())) {
                String key = e.size() == 2 ? e.get(1).asText() : "";
                out.add(new ClientCert(dir.resolve(e.get(0).asText()), key.isEmpty() ? null : dir.resolve(key)));
            } else {
                throw new ConfigException(file, where + ": each entry must be a file name or a [cert, key] pair");
            }
        }
        return out;
    }

    private static void unknownKeys(Path file, String text, int from, JsonNode node, Set<String> known,
                                    String where, List<ConfigWarning> warnings) {
        TomlFiles.unknownKeys(file, text, from, node, known, where, "containerd", warnings);
    }

    /** The character offset of a location found in {@code text} (0 when unknown). */
    private static int offset(String text, ConfigLocation at) {
        if (at.line() <= 0) {
            return 0;
        }
        int pos = 0;
        for (int line = 1; line < at.line() && pos >= 0; line++) {
            pos = text.indexOf('\n', pos) + 1;
            if (pos == 0) {
                return 0;
            }
        }
        return pos + Math.max(at.column() - 1, 0);
    }

    private static ConfigWarning warning(Path file, String message) {
        return new ConfigWarning(file, 0, 0, message);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new LinkedHashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }
}
