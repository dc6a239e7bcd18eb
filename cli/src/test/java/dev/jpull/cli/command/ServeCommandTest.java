package dev.jpull.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.cli.CliRun;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jpull serve}'s refusals: bad input is one line and exit 2, before anything is bound or created. */
class ServeCommandTest {
    @TempDir
    Path home;

    private CliRun serve(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.run(home, all);
    }

    @Test
    void aListenAddressThatIsNotLoopbackNeedsAllowRemote() {
        CliRun r = serve("--listen", "192.0.2.1:5050");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("--listen 192.0.2.1:5050")
                .contains("not loopback").contains("--allow-remote");
        assertThat(home.resolve("store")).doesNotExist();
    }

    @Test
    void malformedListenAddressesAndOptionsAreOneLine() {
        for (String[] args : new String[][] {{"--listen", "5050"}, {"--listen", "127.0.0.1:99999"},
                {"--listen", "127.0.0.1:x"}, {"--max-downloads", "0"}, {"--stream-after", "soon"}}) {
            CliRun r = serve(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.errLines()).as(String.join(" ", args)).hasSize(1);
            assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void aPortInUseIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CliRun r = serve("--listen", "127.0.0.1:" + taken.getLocalPort());
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.errLines()).singleElement().asString().contains("cannot listen on");
        }
    }

    @Test
    void theListenAddressParser() {
        assertThat(ServeCommand.address("127.0.0.1:5050").getPort()).isEqualTo(5050);
        assertThat(ServeCommand.address("[::1]:0").getAddress().isLoopbackAddress()).isTrue();
        assertThat(ServeCommand.address("localhost:5050").getAddress().isLoopbackAddress()).isTrue();
    }
}
