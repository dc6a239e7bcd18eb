package dev.jpull.internal.render;

import dev.jpull.AuthConfig;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.RegistryConfig;
import dev.jpull.TlsConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * A {@link RegistriesConfig} as registries.yaml text that K3s reads back to the same configuration: every key K3s
 * uses ({@code mirrors.*.endpoint} as written, {@code rewrite}, {@code configs.*.auth} and {@code tls}; an
 * {@code auth} or {@code tls} that was present but empty stays present, as K3s writes a hosts.toml for it), every
 * string double-quoted. Comments and keys K3s ignores are not kept.
 */
final class RegistriesYamlText {
    private RegistriesYamlText() {
    }

    static String write(String header, RegistriesConfig config) {
        StringBuilder sb = new StringBuilder(header);
        sb.append("mirrors:").append(config.mirrors().isEmpty() ? " {}\n" : "\n");
        for (Map.Entry<String, Mirror> e : config.mirrors().entrySet()) {
            sb.append("  ").append(string(e.getKey())).append(":\n");
            Mirror m = e.getValue();
            sb.append("    endpoint:").append(m.endpoints().isEmpty() ? " []\n" : "\n");
            m.endpoints().forEach(s -> sb.append("      - ").append(string(s)).append('\n'));
            if (!m.rewrites().isEmpty()) {
                sb.append("    rewrite:\n");
                m.rewrites().forEach((k, v) -> sb.append("      ").append(string(k)).append(": ")
                        .append(string(v)).append('\n'));
            }
        }
        if (!config.configs().isEmpty()) {
            sb.append("configs:\n");
        }
        for (Map.Entry<String, RegistryConfig> e : config.configs().entrySet()) {
            RegistryConfig c = e.getValue();
            boolean empty = c == null || c.auth() == null && c.tls() == null;
            sb.append("  ").append(string(e.getKey())).append(':').append(empty ? " {}\n" : "\n");
            if (empty) {
                continue;
            }
            if (c.auth() != null) {
                AuthConfig a = c.auth();
                sb.append("    auth:").append(a.isSet() ? "\n" : " {}\n");
                field(sb, "username", a.username());
                field(sb, "password", a.password());
                field(sb, "auth", a.auth());
                field(sb, "identity_token", a.identityToken());
            }
            if (c.tls() != null) {
                TlsConfig t = c.tls();
                sb.append("    tls:").append(t.isSet() ? "\n" : " {}\n");
                field(sb, "ca_file", path(t.caFile()));
                field(sb, "cert_file", path(t.certFile()));
                field(sb, "key_file", path(t.keyFile()));
                if (t.insecureSkipVerify()) {
                    sb.append("      insecure_skip_verify: true\n");
                }
            }
        }
        return sb.toString();
    }

    private static String path(Path p) {
        return p == null ? null : p.toString();
    }

    private static void field(StringBuilder sb, String key, String value) {
        if (value != null) {
            sb.append("      ").append(key).append(": ").append(string(value)).append('\n');
        }
    }

    /** A YAML double-quoted scalar: {@code \}, {@code "} and every character YAML does not print escaped. */
    static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == 0x2028 || c == 0x2029
                    || c == 0xfeff) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
