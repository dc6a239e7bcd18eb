package dev.jpull.cli.command;

import dev.jpull.cli.startup.DefaultCommand;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What to say about an option jpull does not know, instead of picocli's "Possible solutions", which offered any
 * option sharing a prefix ({@code --tls-verify=false}: "--tls-timeout"). A near miss of one of the command's own
 * options (at most 2 edits, 1 for a short name) is suggested; an option other tools have (skopeo, podman, crictl,
 * docker) is answered with where jpull takes that setting; anything else gets no suggestion.
 */
final class UnknownOptions {
    private static final String TLS = "TLS is set per registry in registries.yaml: configs.\"HOST\".tls."
            + "insecure_skip_verify: true (or tls.ca_file to trust its CA); plain http is an http:// endpoint";
    private static final String CREDENTIALS = "credentials come from registries.yaml configs.\"HOST\".auth, "
            + "$REGISTRY_AUTH_FILE or the containers auth.json, or ~/.docker/config.json";
    private static final String PLATFORM = "the platform is --platform OS/ARCH[/VARIANT]";
    private static final String TIMEOUT = "the limits are --connect-timeout, --tls-timeout, --header-timeout and "
            + "--read-timeout";
    private static final String MIRRORS = "mirrors come from registries.yaml (-c FILE), a hosts directory "
            + "(--hosts-dir DIR) or containerd's config (--containerd-config FILE)";

    /** Options of other image tools, by name, and where jpull takes the same setting. */
    private static final Map<String, String> OTHER_TOOLS = Map.ofEntries(
            Map.entry("--tls-verify", TLS), Map.entry("--src-tls-verify", TLS), Map.entry("--dest-tls-verify", TLS),
            Map.entry("--insecure", TLS), Map.entry("--insecure-registry", TLS), Map.entry("--insecure-policy", TLS),
            Map.entry("--skip-verify", TLS), Map.entry("--insecure-skip-tls-verify", TLS),
            Map.entry("--tlsverify", TLS), Map.entry("--cert-dir", TLS), Map.entry("--src-cert-dir", TLS),
            Map.entry("--username", CREDENTIALS), Map.entry("--password", CREDENTIALS),
            Map.entry("--src-creds", CREDENTIALS), Map.entry("--auth", CREDENTIALS),
            Map.entry("--arch", PLATFORM), Map.entry("--os", PLATFORM), Map.entry("--variant", PLATFORM),
            Map.entry("--override-arch", PLATFORM), Map.entry("--override-os", PLATFORM),
            Map.entry("--override-variant", PLATFORM),
            Map.entry("--timeout", TIMEOUT), Map.entry("--command-timeout", TIMEOUT),
            Map.entry("--registry-mirror", MIRRORS), Map.entry("--mirror", MIRRORS),
            Map.entry("--registries-conf", MIRRORS));

    private UnknownOptions() {
    }

    /** The lines to print (without {@code jpull: }) for the unknown {@code args} of a command with {@code known}. */
    static List<String> advice(List<String> args, Collection<String> known) {
        List<String> out = new ArrayList<>();
        for (String arg : args) {
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                continue;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String hint = OTHER_TOOLS.get(name);
            if (hint != null) {
                if (!out.contains(hint)) {
                    out.add(hint);
                }
                continue;
            }
            String near = nearest(name, known);
            if (near != null) {
                out.add("did you mean '" + near + "'?");
            }
        }
        return out;
    }

    private static String nearest(String name, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = DefaultCommand.distance(name, k);
            int max = k.replaceFirst("^-+", "").length() <= 4 ? 1 : 2;
            if (d <= max && d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }
}
