package dev.jpull.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlSocketTest {
    @TempDir
    Path tmp;

    @Test
    void theDefaultIsTheLaunchers() {
        assertThat(ControlSocket.defaultPath(Map.of("JPULL_DAEMON_SOCKET", "/x/d.sock",
                "XDG_RUNTIME_DIR", "/run/user/1")::get, 1)).isEqualTo(Path.of("/x/d.sock"));
        assertThat(ControlSocket.defaultPath(Map.of("XDG_RUNTIME_DIR", "/run/user/1")::get, 1))
                .isEqualTo(Path.of("/run/user/1/jpull/daemon.sock"));
        assertThat(ControlSocket.defaultPath(Map.of("XDG_RUNTIME_DIR", "relative")::get, 0))
                .isEqualTo(Path.of("/run/jpull/daemon.sock"));
        assertThat(ControlSocket.defaultPath(Map.<String, String>of()::get, 1000)).isNull();
    }

    @Test
    void makesAPrivateDirectoryAndSocket() throws Exception {
        Path sock = tmp.resolve("a/b/daemon.sock");
        try (ServerSocketChannel s = ControlSocket.bind(sock)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock.getParent())))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
            assertThatThrownBy(() -> ControlSocket.bind(sock))
                    .hasMessage("a daemon is already listening on " + sock);
        }
        // the daemon is gone, its socket is left: the next one takes the path
        try (ServerSocketChannel s = ControlSocket.bind(sock);
             SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            assertThat(c.isConnected()).isTrue();
        }
    }

    @Test
    void refusesAnUnsafeDirectoryOrAPathThatIsNotASocket() throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> ControlSocket.bind(open.resolve("d.sock")))
                .hasMessage(open + " is writable by other users (mode rwxrwxrwx): make it 0700 or use another "
                        + "--socket");

        Path link = Files.createSymbolicLink(tmp.resolve("link"), Files.createDirectory(tmp.resolve("real")));
        assertThatThrownBy(() -> ControlSocket.bind(link.resolve("d.sock"))).hasMessage(link + " is not a directory");

        Path file = Files.writeString(tmp.resolve("file.sock"), "x");
        assertThatThrownBy(() -> ControlSocket.bind(file)).hasMessage(file + " exists and is not a socket");
        assertThat(file).hasContent("x");

        assertThatThrownBy(() -> ControlSocket.bind(Path.of("rel.sock"))).hasMessage("rel.sock is not an absolute path");
    }
}
