package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code --containerd} says when there is no usable containerd, before any network request: each problem a
 * one-line message naming the socket and what to do, exit 2, no stack trace; and how the command line is read.
 */
class ContainerdCliTest {
    @TempDir
    Path tmp;

    private static void assertOneLine(CliRun r, String... contains) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("jpull: ").contains(contains).doesNotContain("Exception", "\tat ");
    }

    @Test
    void noSocket() {
        Path sock = tmp.resolve("none.sock");
        CliRun r = CliRun.run(tmp, "pull", "--containerd", sock.toString(), "127.0.0.1:9/library/alpine:1");
        assertOneLine(r, "no containerd socket at " + sock, "--containerd ADDRESS");
    }

    @Test
    void aStaleSocketThatNobodyListensOn() throws IOException {
        Path sock = tmp.resolve("stale.sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(sock));
        }
        assertThat(sock).exists();
        CliRun r = CliRun.run(tmp, "127.0.0.1:9/library/alpine:1", "--containerd", sock.toString());
        assertOneLine(r, "nothing listens on " + sock, "is containerd running?");
    }

    @Test
    void somethingThatIsNotContainerd() throws Exception {
        Path sock = tmp.resolve("other.sock");
        AtomicBoolean stop = new AtomicBoolean();
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(sock));
            Thread server = new Thread(() -> {
                while (!stop.get()) {
                    try (SocketChannel c = s.accept()) {
                        c.write(ByteBuffer.wrap("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes()));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            server.setDaemon(true);
            server.start();
            CliRun r = CliRun.run(tmp, "images", "--containerd", sock.toString());
            assertOneLine(r, sock + " does not answer as containerd does", "is it containerd's socket?");
            stop.set(true);
        }
    }

    @Test
    void anInvalidNamespace() {
        CliRun r = CliRun.run(tmp, "pull", "--containerd", "--namespace", "no spaces", "alpine");
        assertOneLine(r, "namespace 'no spaces' is not valid for containerd");
    }

    @Test
    void containerdAndStoreTogether() {
        CliRun r = CliRun.run(tmp, "rmi", "--containerd", "--store", tmp.toString(), "alpine");
        assertOneLine(r, "--containerd and --store cannot be used together");
    }

    @Test
    void unpackOptionsNeedContainerd() {
        assertOneLine(CliRun.run(tmp, "pull", "--no-unpack", "alpine"), "--no-unpack needs --containerd");
        assertOneLine(CliRun.run(tmp, "pull", "--snapshotter", "native", "alpine"),
                "--snapshotter needs --containerd");
    }

    @Test
    void containerdWithoutAddressLeavesTheImageAlone() throws IOException {
        // the bare form, --containerd before IMAGE: IMAGE is not taken as the socket
        Path sock = tmp.resolve("x.sock");
        CliRun r = CliRun.run(dev.jpull.cli.option.Env.of(java.util.Map.of("CONTAINERD_ADDRESS", sock.toString()),
                tmp), "--containerd", "127.0.0.1:9/library/alpine:1");
        assertOneLine(r, "no containerd socket at " + sock);
        assertThat(Files.exists(tmp.resolve("store"))).isFalse();
    }
}
