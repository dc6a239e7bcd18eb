package dev.jpull.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.Jpull;
import dev.jpull.PullResult;
import dev.jpull.ProxyConfig;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pull through Debian's tinyproxy, configured the Go way ({@code HTTP_PROXY}), against a real registry. */
class TinyproxyPullIT {
    @TempDir
    Path tmp;

    @Test
    void everyRegistryRequestGoesThroughTheProxyNamedInHttpProxy() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(Mode.PLAIN)) {
            Image image = new ImageGenerator(3).singlePlatform(tmp.resolve("layout"), "app", 2, 50_000);
            Skopeo.copyToRegistry(image.layoutDir(), "app", reg, "library/app:1.0");
            int port = RegistryFixture.freePort();
            Path log = tmp.resolve("tinyproxy.log");
            Path conf = tmp.resolve("tinyproxy.conf");
            Files.writeString(conf, "Port " + port + "\nListen 127.0.0.1\nTimeout 60\nLogFile \"" + log
                    + "\"\nLogLevel Connect\nMaxClients 20\nAllow 127.0.0.1\n");
            Process proxy = new ProcessBuilder("tinyproxy", "-d", "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("tinyproxy.out").toFile()).start();
            try {
                awaitListening(port);
                // Go's rule sends loopback direct; JPULL_PROXY_LOOPBACK=1 is the documented escape hatch for tests
                ProxyConfig proxies = ProxyConfig.fromEnvironment(Map.of(
                        "HTTP_PROXY", "http://127.0.0.1:" + port, "JPULL_PROXY_LOOPBACK", "1"));

                PullResult r = Jpull.builder().store(tmp.resolve("store")).proxies(proxies).build()
                        .pull(reg.hostPort() + "/library/app:1.0");

                assertThat(r.digest()).isEqualTo(Skopeo.inspectDigest(reg, "library/app:1.0"));
                String logged = Files.readString(log);
                assertThat(logged).contains("GET http://" + reg.hostPort() + "/v2/library/app/manifests/1.0");
                for (String blob : image.layerDigests()) {
                    assertThat(logged).contains("GET http://" + reg.hostPort() + "/v2/library/app/blobs/" + blob);
                }
            } finally {
                proxy.destroy();
                proxy.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("tinyproxy did not start listening on " + port);
    }
}
