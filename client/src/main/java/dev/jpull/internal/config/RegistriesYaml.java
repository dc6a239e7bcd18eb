package dev.jpull.internal.config;

import dev.jpull.AuthConfig;
import dev.jpull.ConfigLocation;
import dev.jpull.ConfigSetting;
import dev.jpull.ConfigWarning;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.RegistryConfig;
import dev.jpull.TlsConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Parser of K3s {@code registries.yaml} (schema of rancher/wharfie {@code pkg/registries/types.go}).
 *
 * <p>Read as K3s reads it (gopkg.in/yaml.v2, not strict): unknown keys are accepted but reported as
 * {@link ConfigWarning}s with their position, a key written twice is applied twice (the later wins; maps and
 * {@code auth}/{@code tls} are filled field by field) with a warning, only the first document counts. Malformed
 * YAML and wrong value types are {@link dev.jpull.ConfigException}s with file, line and column.
 */
public final class RegistriesYaml {
    private static final List<String> AUTH_KEYS = List.of("username", "password", "auth", "identity_token");
    private static final List<String> TLS_KEYS = List.of("ca_file", "cert_file", "key_file", "insecure_skip_verify");
    private static final Map<String, String> MIRROR_HINTS = Map.of(
            "endpoints", "did you mean 'endpoint'?",
            "rewrites", "did you mean 'rewrite'?");
    private static final Map<String, String> AUTH_HINTS = Map.of(
            "token", "K3s has no token field; identity_token is an OAuth2 refresh (identity) token, not a bearer token",
            "identitytoken", "the registries.yaml key is 'identity_token'");
    private static final Map<String, String> TLS_HINTS = Map.of(
            "ca", "did you mean 'ca_file'?",
            "cert", "did you mean 'cert_file'?",
            "key", "did you mean 'key_file'?",
            "insecure", "did you mean 'insecure_skip_verify'?",
            "skip_verify", "did you mean 'insecure_skip_verify'?");

    private RegistriesYaml() {
    }

    /** Parses {@code file}; relative TLS file names are resolved against {@code relativeTo} (null: left relative). */
    public static RegistriesConfig parse(Path file, Path relativeTo) {
        return parse(file, ConfigText.yaml(file), relativeTo);
    }

    /** Parses {@code text} as if read from {@code file} (which is only used in messages). */
    static RegistriesConfig parse(Path file, String text) {
        return parse(file, text, null);
    }

    private static RegistriesConfig parse(Path file, String text, Path relativeTo) {
        YamlNodes y = new YamlNodes(file);
        Node root = YamlCompose.firstDocument(file, text, y);
        if (!YamlNodes.isNull(root) && !(root instanceof MappingNode)) {
            throw y.error(root, "the top level must be a mapping, not " + YamlNodes.kind(root));
        }
        // yaml.v2 applies keys in order into the same maps, so a repeated `mirrors:` adds to the first one
        Map<String, Mirror> mirrors = new LinkedHashMap<>();
        Map<String, RegistryConfig> configs = new LinkedHashMap<>();
        Map<String, ConfigLocation> keys = new LinkedHashMap<>();
        for (YamlNodes.Entry e : y.entries(root, "the top level")) {
            switch (e.key()) {
                case "mirrors" -> {
                    if (YamlNodes.isNull(e.value())) {
                        mirrors.clear();
                    }
                    for (YamlNodes.Entry m : y.entries(e.value(), "mirrors")) {
                        String where = "mirrors." + YamlNodes.quote(m.key());
                        mirrors.put(m.key(), mirror(y, m.value(), where));
                        keys.put(where, y.location(m.keyNode()));
                    }
                }
                case "configs" -> {
                    if (YamlNodes.isNull(e.value())) {
                        configs.clear();
                    }
                    for (YamlNodes.Entry c : y.entries(e.value(), "configs")) {
                        String where = "configs." + YamlNodes.quote(c.key());
                        configs.put(c.key(), under(config(y, c.value(), where, keys), relativeTo));
                        keys.put(where, y.location(c.keyNode()));
                    }
                }
                case "auths" -> {
                    for (YamlNodes.Entry a : y.entries(e.value(), "auths")) {
                        auth(y, null, a.value(), "auths." + YamlNodes.quote(a.key()));
                    }
                    y.warn(e.keyNode(), "key 'auths' is a legacy field that K3s does not use; put credentials "
                            + "under configs.<host>.auth");
                }
                default -> y.unknownKey(e, "at the top level", Map.of(), List.of("mirrors", "configs"));
            }
        }
        RegistryConfig wildcard = configs.get("*");
        if (wildcard != null && wildcard.auth() != null && wildcard.auth().isSet()) {
            ConfigLocation at = keys.getOrDefault("configs.\"*\".auth", ConfigLocation.of(file));
            y.warnings().add(at.warning("configs.\"*\".auth is never used: K3s passes it to containerd, which "
                    + "looks credentials up by the exact host that asks for them, so pulls to registries without "
                    + "their own configs entry go without credentials (k3s-io/docs#359); jpull does the same. Put "
                    + "them under configs.\"<host>\".auth for each host"));
        }
        return new RegistriesConfig(file, mirrors, configs, y.warnings(), keys);
    }

    private static Mirror mirror(YamlNodes y, Node node, String where) {
        List<YamlNodes.Item> endpoints = new ArrayList<>();
        Map<String, String> rewrites = new LinkedHashMap<>();
        Map<String, ConfigLocation> rewriteLocations = new LinkedHashMap<>();
        for (YamlNodes.Entry f : y.entries(node, where)) {
            switch (f.key()) {
                case "endpoint" -> endpoints = y.stringList(f.value(), where + ".endpoint");
                case "rewrite" -> {
                    if (YamlNodes.isNull(f.value())) {
                        rewrites.clear();
                        rewriteLocations.clear();
                    }
                    for (YamlNodes.Entry r : y.entries(f.value(), where + ".rewrite")) {
                        rewrites.put(r.key(), y.rawString(r.value(), where + ".rewrite." + YamlNodes.quote(r.key())));
                        rewriteLocations.put(r.key(), y.location(r.keyNode()));
                    }
                }
                default -> y.unknownKey(f, "in " + where, MIRROR_HINTS, List.of("endpoint", "rewrite"));
            }
        }
        return new Mirror(endpoints.stream().map(YamlNodes.Item::value).toList(), rewrites,
                endpoints.stream().map(YamlNodes.Item::location).toList(), rewriteLocations);
    }

    private static RegistryConfig config(YamlNodes y, Node node, String where, Map<String, ConfigLocation> keys) {
        AuthConfig auth = null;
        TlsConfig tls = null;
        for (YamlNodes.Entry f : y.entries(node, where)) {
            switch (f.key()) {
                // pointer fields in yaml.v2: a repeated key fills the same struct, null resets it
                case "auth" -> {
                    auth = YamlNodes.isNull(f.value()) ? null : auth(y, auth, f.value(), where + ".auth");
                    keys.put(where + ".auth", y.location(f.keyNode()));
                }
                case "tls" -> {
                    tls = YamlNodes.isNull(f.value()) ? null : tls(y, tls, f.value(), where + ".tls");
                    keys.put(where + ".tls", y.location(f.keyNode()));
                }
                default -> y.unknownKey(f, "in " + where, Map.of(), List.of("auth", "tls"));
            }
        }
        return new RegistryConfig(auth, tls);
    }

    private static AuthConfig auth(YamlNodes y, AuthConfig base, Node node, String where) {
        String[] v = base == null ? new String[4]
                : new String[] {base.username(), base.password(), base.auth(), base.identityToken()};
        for (YamlNodes.Entry f : y.entries(node, where)) {
            int i = AUTH_KEYS.indexOf(f.key());
            if (i < 0) {
                y.unknownKey(f, "in " + where, AUTH_HINTS, AUTH_KEYS);
            } else {
                v[i] = y.string(f.value(), where + "." + f.key());
            }
        }
        return new AuthConfig(v[0], v[1], v[2], v[3]);
    }

    private static TlsConfig tls(YamlNodes y, TlsConfig base, Node node, String where) {
        Path ca = base == null ? null : base.caFile();
        Path cert = base == null ? null : base.certFile();
        Path key = base == null ? null : base.keyFile();
        boolean insecure = base != null && base.insecureSkipVerify();
        ConfigSetting caAt = base == null ? null : base.caFileSetting();
        ConfigSetting certAt = base == null ? null : base.certFileSetting();
        ConfigSetting keyAt = base == null ? null : base.keyFileSetting();
        for (YamlNodes.Entry f : y.entries(node, where)) {
            String w = where + "." + f.key();
            ConfigSetting at = new ConfigSetting(w, y.location(f.value() != null ? f.value() : f.keyNode()));
            switch (f.key()) {
                case "ca_file" -> {
                    ca = path(y.string(f.value(), w));
                    caAt = at;
                }
                case "cert_file" -> {
                    cert = path(y.string(f.value(), w));
                    certAt = at;
                }
                case "key_file" -> {
                    key = path(y.string(f.value(), w));
                    keyAt = at;
                }
                case "insecure_skip_verify" -> insecure = y.bool(f.value(), w);
                default -> y.unknownKey(f, "in " + where, TLS_HINTS, TLS_KEYS);
            }
        }
        return new TlsConfig(ca, cert, key, insecure, caAt, certAt, keyAt);
    }

    /** {@code c} with its relative TLS file names resolved against {@code dir} (null: left as written). */
    private static RegistryConfig under(RegistryConfig c, Path dir) {
        TlsConfig t = c.tls();
        if (dir == null || t == null) {
            return c;
        }
        return new RegistryConfig(c.auth(), new TlsConfig(under(t.caFile(), dir), under(t.certFile(), dir),
                under(t.keyFile(), dir), t.insecureSkipVerify(), t.caFileSetting(), t.certFileSetting(),
                t.keyFileSetting()));
    }

    private static Path under(Path p, Path dir) {
        return p == null || p.isAbsolute() ? p : dir.resolve(p);
    }

    private static Path path(String s) {
        return s == null ? null : Path.of(s);
    }
}
