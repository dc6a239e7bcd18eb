package dev.jpull.config;

import dev.jpull.ConfigException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Parser of K3s {@code registries.yaml} (schema of rancher/wharfie {@code pkg/registries/types.go}).
 *
 * <p>Like K3s it accepts unknown keys, but reports each one as a {@link ConfigWarning} with its position.
 * Malformed YAML and wrong value types are {@link ConfigException}s with file, line and column.
 */
final class RegistriesYaml {
    private static final Set<String> TOP_KEYS = Set.of("mirrors", "configs", "auths");
    private static final Set<String> MIRROR_KEYS = Set.of("endpoint", "rewrite");
    private static final Set<String> CONFIG_KEYS = Set.of("auth", "tls");
    private static final Set<String> AUTH_KEYS = Set.of("username", "password", "auth", "identity_token");
    private static final Set<String> TLS_KEYS = Set.of("ca_file", "cert_file", "key_file", "insecure_skip_verify");
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

    static RegistriesConfig parse(Path file) {
        return parse(file, TomlFiles.readText(file));
    }

    /** Parses {@code text} as if read from {@code file} (which is only used in messages). */
    static RegistriesConfig parse(Path file, String text) {
        Node root = compose(file, text);
        YamlNodes y = new YamlNodes(file);
        Map<String, Node> top = y.mapping(root, "the top level");
        y.unknownKeys(root, TOP_KEYS, "at the top level", Map.of());
        if (top.containsKey("auths")) {
            y.warn(y.keyNodes(root).get("auths"),
                    "key 'auths' is a legacy field that K3s does not use; put credentials under configs.<host>.auth");
        }
        Map<String, Mirror> mirrors = mirrors(y, top.get("mirrors"));
        Map<String, RegistryConfig> configs = configs(y, top.get("configs"));
        return new RegistriesConfig(file, mirrors, configs, y.warnings());
    }

    private static Map<String, Mirror> mirrors(YamlNodes y, Node node) {
        Map<String, Mirror> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : y.mapping(node, "mirrors").entrySet()) {
            String where = "mirrors." + YamlNodes.quote(e.getKey());
            Node value = e.getValue();
            Map<String, Node> fields = y.mapping(value, where);
            y.unknownKeys(value, MIRROR_KEYS, "in " + where, MIRROR_HINTS);
            var endpoints = y.stringList(fields.get("endpoint"), where + ".endpoint");
            Map<String, String> rewrites = new LinkedHashMap<>();
            for (Map.Entry<String, Node> r : y.mapping(fields.get("rewrite"), where + ".rewrite").entrySet()) {
                rewrites.put(r.getKey(), y.rawString(r.getValue(), where + ".rewrite." + YamlNodes.quote(r.getKey())));
            }
            out.put(e.getKey(), new Mirror(endpoints, rewrites));
        }
        return out;
    }

    private static Map<String, RegistryConfig> configs(YamlNodes y, Node node) {
        Map<String, RegistryConfig> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : y.mapping(node, "configs").entrySet()) {
            String where = "configs." + YamlNodes.quote(e.getKey());
            Node value = e.getValue();
            Map<String, Node> fields = y.mapping(value, where);
            y.unknownKeys(value, CONFIG_KEYS, "in " + where, Map.of());
            AuthConfig auth = auth(y, fields.get("auth"), where + ".auth");
            TlsConfig tls = tls(y, fields.get("tls"), where + ".tls");
            out.put(e.getKey(), new RegistryConfig(auth, tls));
        }
        return out;
    }

    private static AuthConfig auth(YamlNodes y, Node node, String where) {
        if (YamlNodes.isNull(node)) {
            return null;
        }
        Map<String, Node> f = y.mapping(node, where);
        y.unknownKeys(node, AUTH_KEYS, "in " + where, AUTH_HINTS);
        return new AuthConfig(y.string(f.get("username"), where + ".username"),
                y.string(f.get("password"), where + ".password"),
                y.string(f.get("auth"), where + ".auth"),
                y.string(f.get("identity_token"), where + ".identity_token"));
    }

    private static TlsConfig tls(YamlNodes y, Node node, String where) {
        if (YamlNodes.isNull(node)) {
            return null;
        }
        Map<String, Node> f = y.mapping(node, where);
        y.unknownKeys(node, TLS_KEYS, "in " + where, TLS_HINTS);
        return new TlsConfig(path(y.string(f.get("ca_file"), where + ".ca_file")),
                path(y.string(f.get("cert_file"), where + ".cert_file")),
                path(y.string(f.get("key_file"), where + ".key_file")),
                y.bool(f.get("insecure_skip_verify"), where + ".insecure_skip_verify"));
    }

    private static Path path(String s) {
        return s == null ? null : Path.of(s);
    }

    private static Node compose(Path file, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // checked by YamlNodes with a position
        try {
            return new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = "invalid YAML: " + describe(e.getContext(), e.getProblem());
            if (mark == null) {
                throw new ConfigException(file, problem);
            }
            throw new ConfigException(file, mark.getLine() + 1, mark.getColumn() + 1, problem);
        } catch (ReaderException e) {
            throw new ConfigException(file, "invalid YAML: unacceptable character at offset " + e.getPosition());
        } catch (YAMLException e) {
            throw new ConfigException(file, "invalid YAML: " + oneLine(String.valueOf(e.getMessage())));
        }
    }

    private static String describe(String context, String problem) {
        if (problem == null) {
            return oneLine(String.valueOf(context));
        }
        if (context == null) {
            return oneLine(problem);
        }
        if (context.startsWith("expected")) { // "expected a single document", "but found another document"
            return oneLine(context) + ", " + oneLine(problem);
        }
        return oneLine(problem) + " (" + oneLine(context) + ")";
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
