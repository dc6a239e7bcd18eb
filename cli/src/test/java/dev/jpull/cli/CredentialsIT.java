package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.cli.option.Env;
import dev.jpull.cli.option.Passwords;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.MultiPlatformImage;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --creds}, {@code --password-stdin}, {@code --authfile}, {@code login} and {@code logout} against the real
 * registry with htpasswd Basic auth and with a token service (issue 14 point 5). Every run uses {@code --debug}
 * where the command has it, and the password ({@link RegistryFixture#PASSWORD}) must appear in no stdout, stderr or
 * file but the auth.json (and the fake credential helper's own storage).
 */
class CredentialsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REF = "library/alpine:3.20";
    private static final String PW = RegistryFixture.PASSWORD;

    @TempDir
    Path tmp;

    private final List<CliRun> runs = new ArrayList<>();

    @AfterEach
    void restoreStdin() {
        Passwords.stdinForTests(null);
    }

    private CliRun run(Map<String, String> vars, String... args) {
        CliRun r = CliRun.run(Env.of(vars, tmp.resolve("home")), args);
        runs.add(r);
        return r;
    }

    private CliRun runWithStdin(String stdin, Map<String, String> vars, String... args) {
        Passwords.stdinForTests(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return run(vars, args);
        } finally {
            Passwords.stdinForTests(null);
        }
    }

    private RegistryFixture pushed(Mode mode) {
        RegistryFixture reg = RegistryFixture.start(mode);
        MultiPlatformImage image = new ImageGenerator(5).multiPlatform(tmp.resolve("layout"), "img");
        Skopeo.copyToRegistry(image.layoutDir(), "img", reg, REF);
        return reg;
    }

    private Map<String, String> vars(Path authFile) {
        Map<String, String> v = new HashMap<>();
        v.put("JPULL_STORE", tmp.resolve("store").toString());
        if (authFile != null) {
            v.put("REGISTRY_AUTH_FILE", authFile.toString());
        }
        return v;
    }

    private String[] pull(RegistryFixture reg, String... extra) {
        List<String> a = new ArrayList<>(List.of("pull", "--debug", "--no-memory", "--platform", "linux/arm/v7"));
        a.addAll(List.of(extra));
        a.add(reg.hostPort() + "/" + REF);
        return a.toArray(String[]::new);
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"BASIC_AUTH", "TOKEN"})
    void credsForOneRunPullWhatAnonymousCannot(Mode mode) throws IOException {
        try (RegistryFixture reg = pushed(mode)) {
            Map<String, String> v = vars(tmp.resolve("none/auth.json"));

            CliRun anonymous = run(v, pull(reg));
            assertThat(anonymous.exitCode()).as(anonymous.err()).isEqualTo(1);
            assertThat(anonymous.err()).contains("unauthorized");

            CliRun inline = run(v, pull(reg, "--creds", RegistryFixture.USERNAME + ":" + PW));
            assertThat(inline.exitCode()).as(inline.err()).isZero();
            assertThat(inline.out()).contains("Digest: " + Skopeo.inspectDigest(reg, REF));
            assertThat(inline.err()).as("the --debug trace is there to be grepped").contains("> GET ")
                    .contains("Authorization");
            assertThat(inline.err().lines().filter(l -> l.contains("visible to other users in ps")).count())
                    .as("one warning for a password on the command line").isEqualTo(1);

            CliRun stdin = runWithStdin(PW + "\n", v,
                    pull(reg, "--creds", RegistryFixture.USERNAME, "--password-stdin", "--store",
                            tmp.resolve("store2").toString()));
            assertThat(stdin.exitCode()).as(stdin.err()).isZero();
            assertThat(stdin.err()).doesNotContain("visible to other users");

            CliRun wrong = runWithStdin("wrong-" + PW + "\n", v,
                    pull(reg, "--creds", RegistryFixture.USERNAME, "--password-stdin", "--store",
                            tmp.resolve("store3").toString()));
            assertThat(wrong.exitCode()).as(wrong.err()).isEqualTo(1);

            CliRun diagnose = runWithStdin(PW + "\n", v, "diagnose", "--debug", "--creds",
                    RegistryFixture.USERNAME, "--password-stdin", reg.hostPort() + "/" + REF);
            assertThat(diagnose.exitCode()).as(diagnose.out() + diagnose.err()).isZero();
            assertNoPasswordAnywhere(null, null);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"BASIC_AUTH", "TOKEN"})
    void loginStoresWhatAPlainPullUsesAndLogoutRemovesIt(Mode mode) throws IOException, InterruptedException {
        try (RegistryFixture reg = pushed(mode)) {
            Path authFile = tmp.resolve("run/containers/auth.json");
            Files.createDirectories(authFile.getParent());
            Files.writeString(authFile, "{\"auths\": {\"other.example:5000\": {\"auth\": \"dTpw\"}},"
                    + " \"keep\": \"me\"}\n");
            Map<String, String> v = vars(null);
            v.put("XDG_RUNTIME_DIR", tmp.resolve("run").toString()); // the default file, as podman's

            CliRun rejected = runWithStdin("wrong-" + PW + "\n", v, "login", "--debug", "-u",
                    RegistryFixture.USERNAME, "--password-stdin", reg.hostPort());
            assertThat(rejected.exitCode()).as(rejected.err()).isEqualTo(1);
            assertThat(rejected.errLines()).filteredOn(l -> l.startsWith("jpull: ")).hasSize(1);
            assertThat(rejected.err()).contains("invalid username or password");
            assertThat(rejected.out()).isEmpty();
            assertThat(Files.readString(authFile)).doesNotContain(reg.hostPort());

            CliRun login = runWithStdin(PW + "\n", v, "login", "--debug", "-u", RegistryFixture.USERNAME,
                    "--password-stdin", reg.hostPort());
            assertThat(login.exitCode()).as(login.err()).isZero();
            assertThat(login.out()).isEqualTo("Login Succeeded!" + System.lineSeparator());
            assertThat(login.err()).as("login's --debug trace").contains("> GET ").contains("/v2/");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(authFile))).isEqualTo("rw-------");
            JsonNode file = JSON.readTree(authFile.toFile());
            assertThat(file.path("keep").asText()).isEqualTo("me");
            assertThat(file.path("auths").path("other.example:5000").path("auth").asText()).isEqualTo("dTpw");
            assertThat(file.path("auths").path(reg.hostPort()).path("auth").asText())
                    .isEqualTo(java.util.Base64.getEncoder().encodeToString(
                            (RegistryFixture.USERNAME + ":" + PW).getBytes(StandardCharsets.UTF_8)));
            assertThat(skopeoDigest(reg, authFile)).as("skopeo reads the file jpull wrote")
                    .isEqualTo(Skopeo.inspectDigest(reg, REF));

            CliRun plain = run(v, pull(reg));
            assertThat(plain.exitCode()).as(plain.err()).isZero();

            CliRun logout = run(v, "logout", reg.hostPort());
            assertThat(logout.exitCode()).as(logout.err()).isZero();
            assertThat(logout.out()).contains("Removed login credentials for " + reg.hostPort());
            file = JSON.readTree(authFile.toFile());
            assertThat(file.path("auths").has(reg.hostPort())).isFalse();
            assertThat(file.path("auths").has("other.example:5000")).isTrue();

            CliRun again = run(v, pull(reg, "--store", tmp.resolve("store-after").toString()));
            assertThat(again.exitCode()).as(again.err()).isEqualTo(1);

            CliRun unknown = run(v, "logout", reg.hostPort());
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.errLines()).containsExactly("jpull: not logged into " + reg.hostPort()
                    + " (" + authFile + ")");
            assertNoPasswordAnywhere(authFile, null);
        }
    }

    @Test
    void aCredentialHelperNamedInTheFileStoresAndErasesTheSecret() throws IOException {
        try (RegistryFixture reg = pushed(Mode.BASIC_AUTH)) {
            Path bin = Files.createDirectories(tmp.resolve("bin"));
            Path state = Files.createDirectories(tmp.resolve("helper-state"));
            Path helper = bin.resolve("docker-credential-jpulltest");
            Files.writeString(helper, "#!/bin/sh\n"
                    + "S='" + state + "'\n"
                    + "echo \"$1\" >> \"$S/log\"\n"
                    + "case \"$1\" in\n"
                    + "  store) cat > \"$S/stored.json\" ;;\n"
                    + "  get) cat > /dev/null; if [ -f \"$S/stored.json\" ]; then cat \"$S/stored.json\"; "
                    + "else echo 'credentials not found in native keychain'; exit 1; fi ;;\n"
                    + "  erase) cat > \"$S/erased\"; if [ -f \"$S/stored.json\" ]; then rm \"$S/stored.json\"; "
                    + "else echo 'credentials not found in native keychain'; exit 1; fi ;;\n"
                    + "esac\n");
            Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
            Path authFile = tmp.resolve("auth.json");
            String original = "{\"credHelpers\": {\"" + reg.hostPort() + "\": \"jpulltest\"}}\n";
            Files.writeString(authFile, original);
            Map<String, String> v = vars(authFile);
            v.put("PATH", bin + ":" + System.getenv("PATH"));

            CliRun login = runWithStdin(PW + "\n", v, "login", "-u", RegistryFixture.USERNAME, "--password-stdin",
                    reg.hostPort());
            assertThat(login.exitCode()).as(login.err()).isZero();
            assertThat(Files.readString(authFile)).as("the secret went to the helper").isEqualTo(original);
            JsonNode stored = JSON.readTree(state.resolve("stored.json").toFile());
            assertThat(stored.path("ServerURL").asText()).isEqualTo(reg.hostPort());
            assertThat(stored.path("Username").asText()).isEqualTo(RegistryFixture.USERNAME);
            assertThat(stored.path("Secret").asText()).isEqualTo(PW);

            CliRun plain = run(v, pull(reg));
            assertThat(plain.exitCode()).as(plain.err()).isZero();

            CliRun logout = run(v, "logout", reg.hostPort());
            assertThat(logout.exitCode()).as(logout.err()).isZero();
            assertThat(Files.readString(state.resolve("erased")).strip()).isEqualTo(reg.hostPort());
            assertThat(state.resolve("stored.json")).doesNotExist();
            assertThat(Files.readAllLines(state.resolve("log"))).containsSubsequence("store", "get", "erase");

            CliRun unknown = run(v, "logout", reg.hostPort());
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertNoPasswordAnywhere(authFile, state);
        }
    }

    /** The password is in no output of any run, and in no file under the test's directory but the given ones. */
    private void assertNoPasswordAnywhere(Path authFile, Path helperState) throws IOException {
        for (CliRun r : runs) {
            assertThat(r.out()).doesNotContain(PW);
            assertThat(r.err()).doesNotContain(PW);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(tmp)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            if (f.equals(authFile) || helperState != null && f.startsWith(helperState)) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(f);
            assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(PW);
        }
        if (authFile != null) {
            try (Stream<Path> siblings = Files.list(authFile.getParent())) {
                assertThat(siblings.map(p -> p.getFileName().toString())).as("no temporary file left")
                        .noneMatch(n -> n.endsWith(".tmp"));
            }
        }
    }

    private static String skopeoDigest(RegistryFixture reg, Path authFile) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("skopeo", "inspect", "--tls-verify=false", "--authfile", authFile.toString(),
                "--format", "{{.Digest}}", "docker://" + reg.hostPort() + "/" + REF)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.strip();
    }
}
