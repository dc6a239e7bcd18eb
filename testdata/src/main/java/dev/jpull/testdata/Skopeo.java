package dev.jpull.testdata;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * skopeo 1.9 as the reference client (oracle). Every call is bounded by a 120 s timeout; failures throw
 * {@link IllegalStateException} with skopeo's stderr. Command lines in messages never contain
 * credentials.
 *
 * <p>Digest semantics (verified against skopeo 1.9.3 by {@code RegistryFixtureIT}): for a
 * multi-platform tag, {@code skopeo inspect --format {{.Digest}}} prints the digest of the index
 * itself (the top-level manifest), not of the platform child.
 */
public final class Skopeo {

    private Skopeo() {
    }

    /**
     * {@code skopeo copy --all --preserve-digests oci:LAYOUT:REF docker://HOSTPORT/REPO:TAG} with the
     * TLS and credential flags the registry's mode needs.
     */
    public static void copyToRegistry(Path layout, String refName, RegistryFixture reg, String repoTag) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "--all", "--preserve-digests", "--quiet"));
        cmd.addAll(registryFlags(reg, "--dest-"));
        String src = "oci:" + layout.toAbsolutePath() + ":" + refName;
        String dst = "docker://" + reg.hostPort() + "/" + repoTag;
        cmd.add(src);
        cmd.add(dst);
        run(cmd, "skopeo copy " + src + " " + dst);
    }

    /** {@code skopeo inspect --format {{.Digest}}}: the digest of the tag's top-level manifest. */
    public static String inspectDigest(RegistryFixture reg, String repoTag) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--format", "{{.Digest}}"));
        cmd.addAll(registryFlags(reg, "--"));
        String ref = "docker://" + reg.hostPort() + "/" + repoTag;
        cmd.add(ref);
        return run(cmd, "skopeo inspect " + ref).strip();
    }

    /** {@code skopeo inspect --raw}: the tag's top-level manifest bytes as a string. */
    public static String inspectRaw(RegistryFixture reg, String repoTag) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--raw"));
        cmd.addAll(registryFlags(reg, "--"));
        String ref = "docker://" + reg.hostPort() + "/" + repoTag;
        cmd.add(ref);
        return run(cmd, "skopeo inspect --raw " + ref);
    }

    /** {@code skopeo inspect --no-tags}: the JSON skopeo prints for the tag (the host platform's image of an index). */
    public static String inspectJson(RegistryFixture reg, String repoTag) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--no-tags"));
        cmd.addAll(registryFlags(reg, "--"));
        String ref = "docker://" + reg.hostPort() + "/" + repoTag;
        cmd.add(ref);
        return run(cmd, "skopeo inspect " + ref);
    }

    /** {@code skopeo inspect --config --raw}: the image config bytes (of the host platform's image of an index). */
    public static String inspectConfigRaw(RegistryFixture reg, String repoTag) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--config", "--raw"));
        cmd.addAll(registryFlags(reg, "--"));
        String ref = "docker://" + reg.hostPort() + "/" + repoTag;
        cmd.add(ref);
        return run(cmd, "skopeo inspect --config --raw " + ref);
    }

    /** {@code skopeo list-tags}: the repository's tags, in skopeo's order. */
    public static List<String> listTags(RegistryFixture reg, String repository) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "list-tags"));
        cmd.addAll(registryFlags(reg, "--"));
        String ref = "docker://" + reg.hostPort() + "/" + repository;
        cmd.add(ref);
        return tags(run(cmd, "skopeo list-tags " + ref));
    }

    /** {@code skopeo list-tags} of a plain-HTTP registry without credentials at {@code hostPort}. */
    public static List<String> listTags(String hostPort, String repository) {
        String ref = "docker://" + hostPort + "/" + repository;
        return tags(run(List.of("skopeo", "list-tags", "--tls-verify=false", "--no-creds", ref),
                "skopeo list-tags " + ref));
    }

    private static List<String> tags(String out) {
        try {
            List<String> tags = new ArrayList<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(out).path("Tags")
                    .forEach(t -> tags.add(t.asText()));
            return tags;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("skopeo list-tags printed no JSON: " + Procs.tail(out, 500), e);
        }
    }

    /** {@code skopeo inspect oci:STORE:REF}: the JSON skopeo prints for an image in an OCI layout. */
    public static String inspectLayout(Path store, String refName) {
        String ref = "oci:" + store.toAbsolutePath() + ":" + refName;
        return run(List.of("skopeo", "inspect", ref), "skopeo inspect " + ref);
    }

    /** {@code skopeo inspect --raw oci:STORE:REF}: the manifest bytes skopeo finds for REF in an OCI layout. */
    public static String inspectLayoutRaw(Path store, String refName) {
        String ref = "oci:" + store.toAbsolutePath() + ":" + refName;
        return run(List.of("skopeo", "inspect", "--raw", ref), "skopeo inspect --raw " + ref);
    }

    private static List<String> registryFlags(RegistryFixture reg, String prefix) {
        List<String> flags = new ArrayList<>();
        switch (reg.mode()) {
            case TLS -> flags.addAll(List.of(prefix + "cert-dir", reg.certs().skopeoTlsDir().toString()));
            case MTLS_BASIC -> flags.addAll(List.of(prefix + "cert-dir", reg.certs().skopeoMtlsDir().toString()));
            default -> flags.add(prefix + "tls-verify=false");
        }
        if (reg.username() != null) {
            flags.addAll(List.of(prefix + "creds", reg.username() + ":" + reg.password()));
        } else {
            flags.add(prefix + "no-creds");
        }
        return flags;
    }

    private static String run(List<String> cmd, String display) {
        Procs.Result r = Procs.run(cmd, Map.of(), Procs.DEFAULT_TIMEOUT, display);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(display + " failed (exit " + r.exitCode() + "): "
                    + Procs.tail(r.stderr(), 2000));
        }
        return r.stdout();
    }
}
