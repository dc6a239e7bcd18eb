package dev.jpull.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.cli.CliRun;
import dev.jpull.cli.option.Passwords;
import dev.jpull.testdata.ClosedPort;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a password is had (command line with a warning, stdin, the terminal) and what happens without one: with no
 * terminal (System.console() is null in tests) a missing password is a one-line usage error, never a hang.
 */
class CredentialOptionsTest {
    private static final String SECRET = "pw-Recognisable-4711";

    @TempDir
    Path home;

    @AfterEach
    void restoreStdin() {
        Passwords.stdinForTests(null);
    }

    private static void stdin(String text) {
        Passwords.stdinForTests(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aMissingPasswordWithoutTerminalIsOneLineExitTwo() {
        for (String[] args : new String[][] {
            {"pull", "--creds", "admin", "127.0.0.1:1/x"},
            {"diagnose", "--creds", "admin", "127.0.0.1:1/x"},
            {"login", "-u", "admin", "127.0.0.1:1"},
            {"login", "127.0.0.1:1"},
        }) {
            CliRun r = CliRun.run(home, args);
            assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.errLines()).as(String.join(" ", args)).hasSize(1);
            assertThat(r.err()).contains("no terminal to ask for it").startsWith("jpull: ");
        }
    }

    @Test
    void resolveTalksToNoRegistryAndAsksForNoPassword() {
        CliRun r = CliRun.run(home, "resolve", "--creds", "admin", "127.0.0.1:1/x");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("http://127.0.0.1:1/v2");
    }

    @Test
    void contradictoryOrIncompleteOptionsAreUsageErrors() {
        stdin(SECRET + "\n");
        CliRun both = CliRun.run(home, "pull", "--creds", "admin:" + SECRET, "--password-stdin", "127.0.0.1:1/x");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("cannot be used together").doesNotContain(SECRET);
        CliRun alone = CliRun.run(home, "pull", "--password-stdin", "127.0.0.1:1/x");
        assertThat(alone.exitCode()).isEqualTo(2);
        assertThat(alone.err()).contains("--password-stdin needs --creds USER");
        CliRun noUser = CliRun.run(home, "pull", "--creds", ":" + SECRET, "127.0.0.1:1/x");
        assertThat(noUser.exitCode()).isEqualTo(2);
        assertThat(noUser.err()).doesNotContain(SECRET);
        CliRun loginBoth = CliRun.run(home, "login", "-u", "a", "-p", SECRET, "--password-stdin", "127.0.0.1:1");
        assertThat(loginBoth.exitCode()).isEqualTo(2);
        assertThat(loginBoth.err()).doesNotContain(SECRET);
        CliRun path = CliRun.run(home, "logout", "reg.example/repo");
        assertThat(path.exitCode()).isEqualTo(2);
    }

    @Test
    void aPasswordOnTheCommandLineIsWarnedAboutOnceAndNeverShown() {
        ClosedPort dead = ClosedPort.allocate();
        CliRun r = CliRun.run(home, "pull", "--debug", "--no-memory", "--creds", "admin:" + SECRET,
                dead.hostPort() + "/x");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err().lines().filter(l -> l.contains("visible to other users in ps"))).hasSize(1);
        assertThat(r.out() + r.err()).doesNotContain(SECRET);

        CliRun login = CliRun.run(home, "login", "--debug", "-u", "admin", "-p", SECRET, dead.hostPort());
        assertThat(login.exitCode()).as(login.err()).isEqualTo(1);
        assertThat(login.err()).contains("visible to other users in ps").contains("cannot reach");
        assertThat(login.out() + login.err()).doesNotContain(SECRET);
    }

    @Test
    void passwordStdinReadsTheFirstLineOnly() {
        ClosedPort dead = ClosedPort.allocate();
        stdin(SECRET + "\r\nsecond line\n");
        CliRun r = CliRun.run(home, "login", "-u", "admin", "--password-stdin", dead.hostPort());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("visible to other users").doesNotContain(SECRET);
        assertThat(Passwords.fromStdin()).as("the rest is left unread").isEqualTo("second line");
    }

    @Test
    void logoutOfAnUnknownRegistryIsOneLineExitOne() throws Exception {
        Path file = home.resolve("auth.json");
        Files.writeString(file, "{\"auths\": {}}");
        CliRun r = CliRun.run(home, "logout", "--authfile", file.toString(), "reg.example:5000");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("jpull: not logged into reg.example:5000 (" + file + ")");
    }

    @Test
    void loginGetLoginPrintsTheStoredUserAndNothingElse() throws Exception {
        Path file = home.resolve("auth.json");
        Files.writeString(file, "{\"auths\": {\"reg.example:5000\": {\"auth\": \""
                + java.util.Base64.getEncoder().encodeToString(("alice:" + SECRET).getBytes(StandardCharsets.UTF_8))
                + "\"}}}");
        CliRun r = CliRun.run(home, "login", "--get-login", "--authfile", file.toString(), "reg.example:5000");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("alice\n");
        assertThat(r.out() + r.err()).doesNotContain(SECRET);

        CliRun none = CliRun.run(home, "login", "--get-login", "--authfile", file.toString(), "other.example");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.errLines()).containsExactly("jpull: not logged into other.example (" + file + ")");

        CliRun withUser = CliRun.run(home, "login", "--get-login", "-u", "bob", "reg.example:5000");
        assertThat(withUser.exitCode()).isEqualTo(2);
        assertThat(withUser.errLines()).hasSize(1);
    }

    @Test
    void logoutAllRemovesEveryEntryAndNeedsNoRegistry() throws Exception {
        Path file = home.resolve("auth.json");
        Files.writeString(file, "{\"auths\": {\"a.example\": {\"auth\": \"dTpw\"}, \"b.example\": {\"auth\": "
                + "\"dTpw\"}}, \"other\": true}");
        CliRun r = CliRun.run(home, "logout", "--all", "--authfile", file.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Removed login credentials for all registries\n");
        assertThat(Files.readString(file)).doesNotContain("a.example").doesNotContain("dTpw").contains("other");
        assertThat(CliRun.run(home, "logout", "-a", "--authfile", file.toString()).exitCode())
                .as("nothing left: still 0, as podman").isZero();

        for (String[] args : new String[][] {{"logout"}, {"logout", "--all", "a.example"}}) {
            CliRun bad = CliRun.run(home, args);
            assertThat(bad.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(bad.errLines()).as(String.join(" ", args)).hasSize(1);
        }
    }
}
