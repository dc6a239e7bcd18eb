package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jpull.testdata.Certs;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.Skopeo;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code jpull daemon} with the real launcher ({@code ./jpull}, through curl) against a real registry: the pull runs
 * in the daemon (its log names the launcher's process) with the output, exit codes and Ctrl-C of the launcher's own
 * JVM; what the daemon does not take is left to the launcher; only this user's processes get in.
 */
class DaemonIT {
    private static final Path LAUNCHER = Path.of("..", "jpull").toAbsolutePath().normalize();
    private static final Pattern READY = Pattern.compile("jpull daemon: listening on (\\S+)");

    private static Path tmp;
    private static RegistryFixture registry;
    private static String digest;
    private static Process daemon;
    private static Path log;
    private static Path socket;
    private static Image image;

    @BeforeAll
    static void start() throws Exception {
        tmp = Files.createTempDirectory("jpull-daemon");
        registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN);
        image = new ImageGenerator(91).runnable(tmp.resolve("layout"), "img", 2, 200_000);
        Skopeo.copyToRegistry(image.layoutDir(), "img", registry, "daemon/app:1");
        digest = Skopeo.inspectDigest(registry, "daemon/app:1");
        socket = tmp.resolve("run/daemon.sock");
        log = tmp.resolve("daemon.log");
        daemon = startDaemon(socket, log);
    }

    private static Process startDaemon(Path sock, Path logFile) throws Exception {
        // setsid: a session leader without a controlling terminal, as systemd starts jpull-daemon.service
        ProcessBuilder pb = new ProcessBuilder("setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "daemon", "--socket",
                sock.toString()).redirectErrorStream(true).redirectOutput(logFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!READY.matcher(Files.readString(logFile)).find()) {
            assertThat(p.isAlive()).as("daemon exited: %s", Files.readString(logFile)).isTrue();
            assertThat(System.nanoTime()).as("no ready line in 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        return p;
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.destroy(); // SIGTERM: the daemon removes its socket
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(socket).doesNotExist();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private record Run(long pid, int exit, String out, String err) {
    }

    /** The launcher with stdout and stderr on pipes, in {@code dir}. */
    private static Run launcher(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        clientEnvironment(pb).putAll(env);
        Process p = pb.start();
        return finish(p);
    }

    /** {@code pb}'s environment without jpull's and XDG variables, with the daemon's socket; returns it. */
    private static Map<String, String> clientEnvironment(ProcessBuilder pb) {
        pb.environment().keySet().removeIf(k -> k.startsWith("JPULL_") || k.startsWith("XDG_"));
        pb.environment().put("JPULL_DAEMON_SOCKET", socket.toString());
        return pb.environment();
    }

    private static Run finish(Process p) throws Exception {
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.pid(), p.exitValue(), out.get(), err.get());
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static String ranLine(long pid) throws IOException {
        return ranLine("pull", pid);
    }

    private static String ranLine(String what, long pid) throws IOException {
        Matcher m = Pattern.compile("jpull daemon: ran the " + what + " of process " + pid + ": exit (\\d+) in (\\d+) ms")
                .matcher(Files.readString(log));
        return m.find() ? m.group(1) + " " + m.group(2) : null;
    }

    @Test
    void aPullRunsInTheDaemonWithTheRegistrysDigest() throws Exception {
        Path store = tmp.resolve("store-a");
        Run r = launcher(tmp, Map.of(), "--store", store.toString(), registry.hostPort() + "/daemon/app:1");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Digest: " + digest + "\nImage is up to date for sha256:");
        assertThat(r.err()).contains("jpull: pulled " + registry.hostPort() + "/daemon/app:1: 4 blobs from http://"
                + registry.hostPort() + "/v2");
        assertThat(ranLine(r.pid())).startsWith("0 ");
        assertThat(Files.readString(store.resolve("index.json"))).contains(digest);

        Run again = launcher(tmp, Map.of(), "pull", "-o", "json", "--store", store.toString(),
                registry.hostPort() + "/daemon/app:1");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("\"digest\" : \"" + digest + "\"").contains("\"cached\" : true");
        assertThat(ranLine(again.pid())).startsWith("0 ");
    }

    @Test
    void relativePathsAreTheClientsAndFailuresKeepTheirExitCodes() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Run r = launcher(work, Map.of(), "-q", "--store", "rel-store", registry.hostPort() + "/daemon/app:1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(work.resolve("rel-store/index.json")).exists();
        assertThat(r.err()).isEmpty();
        assertThat(ranLine(r.pid())).startsWith("0 ");

        Run failed = launcher(work, Map.of(), "--store", "rel-store", registry.hostPort() + "/daemon/none:1");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.out()).isEmpty();
        assertThat(failed.err()).contains("failed on every endpoint").contains("run 'jpull diagnose");
        assertThat(ranLine(failed.pid())).startsWith("1 ");

        // a relative ca_file inside the configuration is the client's too, as in a JVM started in its directory
        Files.copy(Certs.get().caCert(), work.resolve("ca.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(work.resolve("tls.yaml"), "configs:\n  \"" + registry.hostPort() + "\":\n"
                + "    tls:\n      ca_file: ca.pem\n");
        Run tls = launcher(work, Map.of(), "-q", "--store", "tls-store", "-c", "tls.yaml",
                registry.hostPort() + "/daemon/app:1");
        assertThat(tls.exit()).as(tls.err()).isZero();
        assertThat(tls.out()).startsWith("Digest: " + digest + "\n");
        assertThat(ranLine(tls.pid())).startsWith("0 ");

        Run usage = launcher(work, Map.of(), "--store", "rel-store", "-c", "missing.yaml", "x/y:1");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).isEqualTo("jpull: " + work.resolve("missing.yaml") + ": cannot read: no such file\n");
        assertThat(ranLine(usage.pid())).startsWith("2 ");
    }

    /** digest, inspect, tags, images, resolve, verify: through picocli in the daemon, the client's paths. */
    @Test
    void queryCommandsRunInTheDaemonWithTheClientsRelativePaths() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("query"));
        String ref = registry.hostPort() + "/daemon/app:1";
        Run d = launcher(work, Map.of(), "digest", ref);
        assertThat(d.exit()).as(d.err()).isZero();
        assertThat(d.out()).isEqualTo(digest + "\n");
        assertThat(ranLine("digest", d.pid())).startsWith("0 ");

        Run pull = launcher(work, Map.of(), "-q", "--store", "qstore", ref);
        assertThat(pull.exit()).as(pull.err()).isZero();
        Run images = launcher(work, Map.of(), "images", "--store", "qstore");
        assertThat(images.exit()).as(images.err()).isZero();
        assertThat(images.out()).contains(registry.hostPort() + "/daemon/app");
        assertThat(ranLine("images", images.pid())).startsWith("0 ");
        Run verify = launcher(work, Map.of(), "verify", "--store", "qstore");
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(ranLine("verify", verify.pid())).startsWith("0 ");

        Files.writeString(work.resolve("bad.yaml"), "mirrors: [not, a, mapping]\n");
        Run bad = launcher(work, Map.of(), "inspect", "-c", "bad.yaml", ref);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("jpull: " + work.resolve("bad.yaml") + ":1:");
        assertThat(ranLine("inspect", bad.pid())).startsWith("2 ");

        Run tags = launcher(work, Map.of(), "tags", registry.hostPort() + "/daemon/app");
        assertThat(tags.exit()).as(tags.err()).isZero();
        assertThat(tags.out()).isEqualTo("1\n");
        assertThat(ranLine("tags", tags.pid())).startsWith("0 ");
    }

    /**
     * {@code jpull tags REPO | head -c 20} through the daemon: once head has gone, the daemon's next write fails
     * (broken pipe) and the run ends, as the launcher's own JVM does; the tag list is larger than a pipe holds
     * (64 KiB), so a daemon that kept a reader of its own on the pipe would wait for one forever.
     */
    @Test
    void aReaderThatGoesAwayEndsTheRun() throws Exception {
        Skopeo.copyToRegistry(image.layoutDir(), "img", registry, "daemon/many:seed"); // its blobs
        HttpClient http = HttpClient.newHttpClient();
        String base = registry.baseUrl() + "/v2/daemon/many/manifests/";
        HttpResponse<byte[]> manifest = http.send(HttpRequest.newBuilder(
                        URI.create(registry.baseUrl() + "/v2/daemon/app/manifests/1"))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(manifest.statusCode()).isEqualTo(200);
        String type = manifest.headers().firstValue("Content-Type").orElseThrow();
        String padding = "t".repeat(110);
        for (int i = 0; i < 1000; i++) { // 1000 tags of 114 characters: ~115 KiB of output
            HttpResponse<Void> put = http.send(HttpRequest.newBuilder(
                            URI.create(base + String.format("%s%04d", padding, i))).header("Content-Type", type)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.body())).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(put.statusCode()).as("PUT tag %d", i).isEqualTo(201);
        }
        // the launcher's stdout is a pipe to head; its pid (for the daemon's log line) and exit code go to stderr
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "bash \"$0\" tags \"$1\" > >(head -c 20) & p=$!; "
                + "wait $p; echo \"pid $p exit $?\" >&2", LAUNCHER.toString(), registry.hostPort() + "/daemon/many")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        clientEnvironment(pb);
        Run r = finish(pb.start()); // bounded: a run that hangs fails here
        assertThat(r.out()).hasSize(20);
        Matcher m = Pattern.compile("pid (\\d+) exit (\\d+)").matcher(r.err());
        assertThat(m.find()).as(r.err()).isTrue();
        assertThat(m.group(2)).as(r.err()).isEqualTo("0");
        assertThat(ranLine("tags", Long.parseLong(m.group(1)))).as(Files.readString(log)).startsWith("0 ");
    }

    @Test
    void aTerminalThatIsNobodysIsNotTakenByTheDaemon() throws Exception {
        // a session leader without a controlling terminal that opens a terminal for reading makes it its own (Linux,
        // unless O_NOCTTY, which Java cannot ask for); its hang-up would then stop the daemon with SIGHUP
        assertThat(stat(daemon.pid())[3]).as("the daemon leads its session").isEqualTo(Long.toString(daemon.pid()));
        Path pty = Path.of(DaemonIT.class.getResource("/on-a-pty.pl").toURI());
        ProcessBuilder pb = new ProcessBuilder("perl", pty.toString(), "bash", LAUNCHER.toString(), "digest",
                registry.hostPort() + "/daemon/app:1");
        clientEnvironment(pb);
        Process p = pb.start();
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> exited = CompletableFuture.supplyAsync(() -> {
            try {
                return new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(),
                        StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String line = exited.get(120, TimeUnit.SECONDS);
        // the client has exited and the terminal is still there (on-a-pty.pl holds it until its stdin ends)
        String ttyNr = stat(daemon.pid())[4];
        p.getOutputStream().close();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Matcher m = Pattern.compile("pid (\\d+) exit (\\d+)").matcher(String.valueOf(line));
        assertThat(m.find()).as(line).isTrue();
        assertThat(out.get()).as("the terminal's output").isEqualTo(digest + "\r\n");
        assertThat(m.group(2)).isEqualTo("0");
        assertThat(ranLine("digest", Long.parseLong(m.group(1)))).as(Files.readString(log)).startsWith("0 ");
        assertThat(ttyNr).as("the daemon's controlling terminal (tty_nr)").isEqualTo("0");
    }

    /** {@code /proc/PID/stat}'s fields after the command name: state, ppid, pgrp, session, tty_nr, ... */
    private static String[] stat(long pid) throws IOException {
        String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return s.substring(s.lastIndexOf(')') + 2).split(" ");
    }

    @Test
    void whatTheDaemonDoesNotTakeIsLeftToTheLauncher() throws Exception {
        assertThat(post(request(1, List.of("rmi", "x/y:1"), Map.of()))).isEqualTo("local\n");
        assertThat(post(request(1, List.of("save", "-o", "x.tar", "x/y:1"), Map.of()))).isEqualTo("local\n");
        assertThat(post(request(1, List.of("images", "--containerd", "./c.sock"), Map.of()))).isEqualTo("local\n");
        assertThat(post(request(1, List.of("pull", "--platform", "linux/arm64", "x/y:1"), Map.of())))
                .isEqualTo("local\n");
        assertThat(post(request(ProcessHandle.current().pid(), List.of("x/y:1"), Map.of("DOCKER_CONFIG", "rel"))))
                .isEqualTo("local\n");
        assertThat(post("not a request\0".getBytes(StandardCharsets.UTF_8))).startsWith("HTTP/1.1 400");

        // stdout a regular file: the launcher's own JVM pulls (this shell's offset would not move otherwise)
        Path out = tmp.resolve("out.txt");
        Path store = tmp.resolve("store-file");
        ProcessBuilder pb = new ProcessBuilder("bash", LAUNCHER.toString(), "--store", store.toString(),
                registry.hostPort() + "/daemon/app:1").redirectOutput(out.toFile());
        pb.environment().put("JPULL_DAEMON_SOCKET", socket.toString());
        Run r = finish(pb.start());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(out)).startsWith("Digest: " + digest + "\n");
        assertThat(ranLine(r.pid())).isNull();
    }

    @Test
    void ctrlCStopsThePullInTheDaemonWithTheNotice() throws Exception {
        try (ServerSocket hang = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CountDownLatch asked = new CountDownLatch(1);
            CompletableFuture<Integer> closed = CompletableFuture.supplyAsync(() -> {
                try (Socket s = hang.accept()) {
                    asked.countDown(); // the manifest request's connection: it never gets an answer
                    InputStream in = s.getInputStream();
                    while (in.read() >= 0) {
                        // the request; then -1 when the daemon cancels it
                    }
                    return 1;
                } catch (IOException e) {
                    return 0;
                }
            });
            ProcessBuilder pb = new ProcessBuilder("bash", LAUNCHER.toString(), "--store",
                    tmp.resolve("store-hang").toString(), "127.0.0.1:" + hang.getLocalPort() + "/x/y:1")
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("JPULL_DAEMON_SOCKET", socket.toString());
            Process p = pb.start();
            CompletableFuture<String> err = read(p.getErrorStream());
            assertThat(asked.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor()).isZero();

            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(130);
            assertThat(err.get()).endsWith("jpull: interrupted before any blob data was kept; run the same command "
                    + "to pull again\n");
            assertThat(closed.get(30, TimeUnit.SECONDS)).isEqualTo(1); // the request was cancelled, not left hanging
            String ran = ranLine(p.pid());
            assertThat(ran).startsWith("130 ");
            // well before the 15 s header timeout the pull would otherwise have waited for
            assertThat(Long.parseLong(ran.substring(4))).isLessThan(15_000);
        }
    }

    @Test
    void aClientInAnotherMountNamespaceIsLeftToItsLauncher() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "needs root (unshare)");
        // a client in another mount namespace names other files with the same paths
        Process elsewhere = new ProcessBuilder("unshare", "--mount", "sleep", "120").start();
        try {
            while (Files.readSymbolicLink(Path.of("/proc", Long.toString(elsewhere.pid()), "ns/mnt"))
                    .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")))) {
                assertThat(elsewhere.isAlive()).isTrue(); // unshare has not exec'd sleep in the new namespace yet
                Thread.sleep(20);
            }
            assertThat(post(request(elsewhere.pid(), List.of("--store", "/s", "x/y:1"), Map.of())))
                    .isEqualTo("local\n");
        } finally {
            elsewhere.destroy();
        }
    }

    @Test
    void anotherUsersProcessIsRefused() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "needs root (setpriv)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // reachable by nobody
        Path dir = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path sock = dir.resolve("d.sock");
        Path otherLog = tmp.resolve("other.log");
        Process other = startDaemon(sock, otherLog);
        try {
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-")); // as if by mistake
            Process curl = new ProcessBuilder("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
                    "curl", "-sS", "--unix-socket", sock.toString(), "--data-binary", "x", "http://jpull/v1/run")
                    .redirectErrorStream(true).start();
            String said = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(curl.exitValue()).as(said).isNotZero();
            assertThat(said).doesNotContain("HTTP/").doesNotContain("local");
            assertThat(Files.readString(otherLog)).contains("jpull daemon: refused a client of user ");
        } finally {
            other.destroy();
            other.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static byte[] request(long pid, List<String> args, Map<String, String> env) {
        StringBuilder b = new StringBuilder("jpull-run-1\0" + pid + "\0" + args.size() + "\0");
        args.forEach(a -> b.append(a).append('\0'));
        env.forEach((k, v) -> b.append(k).append('=').append(v).append('\0'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** POSTs {@code body} to /v1/run; the response's body, or the whole response when it is not a 200. */
    private static String post(byte[] body) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(("POST /v1/run HTTP/1.1\r\nHost: jpull\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
            ch.write(ByteBuffer.wrap(body));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (ch.read(buf) >= 0) {
                got.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            String response = got.toString(StandardCharsets.UTF_8);
            return response.startsWith("HTTP/1.1 200") ? response.substring(response.indexOf("\r\n\r\n") + 4)
                    : response;
        }
    }
}
