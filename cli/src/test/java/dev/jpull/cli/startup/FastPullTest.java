package dev.jpull.cli.startup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.cli.Main;
import dev.jpull.cli.command.JpullCommand;
import dev.jpull.cli.command.PullCommand;
import dev.jpull.cli.option.CommonOptions;
import dev.jpull.cli.option.Env;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The picocli-free parse of the common pull command line gives what picocli gives, or leaves it to picocli
 * ({@link FastPullIT}: and runs like it).
 */
class FastPullTest {
    /** Command lines (words separated by one space) the fast path takes. */
    @ParameterizedTest
    @ValueSource(strings = {
        "alpine",
        "pull alpine",
        "--store /s alpine",
        "--store=/s alpine",
        "alpine --store /s",
        "-c /c.yaml alpine",
        "--config /c.yaml --store /s alpine",
        "--config=/c.yaml alpine",
        "-o json alpine",
        "--output json alpine",
        "--output=text alpine",
        "--verify alpine",
        "pull alpine --verify",
        "pull --verify --store /s -o json alpine",
        "pull -o text --store rel/dir -c c.yaml 127.0.0.1:5000/x/y:1",
        "--store images 127.0.0.1:5000/library/alpine",
        "-c config alpine",
        "--store=images -c help alpine",
        "pull --store resolve alpine",
        "-o json --store /s pull docker.io/library/alpine@sha256:" + "0123456789abcdef0123456789abcdef"
                + "0123456789abcdef0123456789abcdef",
        "-q alpine", "--quiet --store /s alpine", "pull alpine -q -o json",
        "--containerd alpine", "--containerd /run/c.sock alpine", "alpine --containerd ./c.sock",
        "--containerd unix:/run/c.sock --namespace k8s.io alpine", "--namespace=ns --containerd -q alpine",
        "--namespace ns alpine",
    })
    void parsesTheCommonFormLikePicocli(String line) throws Exception {
        String[] args = Main.withDefaultCommand(line.split(" "));

        FastPull fast = FastPull.parse(args);

        assertThat(fast).as("taken by the fast path").isNotNull();
        PullCommand viaPicocli = picocliParse(args);
        assertThat(fast.request()).isEqualTo(viaPicocli.request());
        assertThat(fast.request().concurrency()).isEqualTo(Integer.parseInt(PullCommand.DEFAULT_CONCURRENCY));
    }

    /** The plain value of the options holds every option of CommonOptions, and gives it back unchanged. */
    @Test
    void theRequestValueHoldsEveryCommonOption() throws Exception {
        List<String> components = java.util.Arrays.stream(CommonOptions.Values.class.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).toList();
        List<Field> fields = instanceFields();
        assertThat(fields).extracting(Field::getName).contains("store", "config", "output", "connectTimeout",
                "tlsTimeout", "headerTimeout", "readTimeout", "speedLimit", "speedTime", "platform", "debug",
                "hostsDir", "noMemory", "memoryTtl");
        for (Field f : fields) {
            if (f.isAnnotationPresent(picocli.CommandLine.Option.class)) {
                assertThat(components).as(f.getName()).contains(f.getName());
            }
        }
        PullCommand parsed = picocliParse(Main.withDefaultCommand(new String[] {"--hosts-dir", "/d",
            "--containerd-config", "/c.toml", "--platform", "linux/arm64", "--disable-default-endpoint",
            "--connect-timeout", "1s", "--tls-timeout", "2s", "--header-timeout", "3s", "--read-timeout", "4s",
            "--speed-limit", "5", "--speed-time", "6s", "--no-memory", "--memory-ttl", "1m", "--debug", "-c", "c", "--store", "s", "-o", "json",
            "--concurrency", "7", "-q", "--verify", "--creds", "u:x", "alpine"}));
        CommonOptions.Values values = parsed.request().options();
        CommonOptions back = CommonOptions.of(values);
        CommonOptions.Values defaults = CommonOptions.Values.defaults(null, null, null);
        for (var c : CommonOptions.Values.class.getRecordComponents()) {
            assertThat(c.getAccessor().invoke(values)).as("every option given: " + c.getName())
                    .isNotEqualTo(c.getAccessor().invoke(defaults));
        }
        assertThat(back.values()).isEqualTo(values);
        assertThat(parsed.request()).extracting("concurrency", "quiet", "verify").containsExactly(7, true, true);
    }

    /** Everything else goes to picocli (usage errors, other options, help, other commands, odd values). */
    @ParameterizedTest
    @ValueSource(strings = {
        "", "pull", "--store /s", "resolve alpine", "images", "help pull", "--help", "pull --help", "-V alpine",
        "alpine busybox", "--store /a --store /b alpine", "-c a -c b alpine", "-o json -o text alpine",
        "--store= alpine", "--store", "alpine --store", "-c=/c alpine", "-c/c alpine", "-ojson alpine",
        "-o yaml alpine", "-o JSON alpine", "--debug alpine", "--platform linux/amd64 alpine",
        "--concurrency 1 alpine", "--read-timeout 1s alpine", "--speed-limit 1k alpine", "--speed-time=5s alpine",
        "--hosts-dir /d alpine", "-- alpine",
        "@args.txt", "--store @dir alpine", "--store -o alpine", "--store --config alpine", "pull -x alpine",
        "pull pull", "pull alpine images", "--bogus=1 alpine",
        "--verify --verify alpine", "--verify=true alpine", "--store --verify alpine", "verify alpine",
        "pull verify", "--verify", "--no-memory alpine", "--memory-ttl 1m alpine", "--memory-ttl=1m alpine",
        "-q -q alpine", "-qo json alpine", "--containerd --containerd alpine", "--containerd=/c alpine",
        "--namespace a --namespace b alpine", "--containerd /c", "--snapshotter native --containerd alpine",
        "--no-unpack --containerd alpine", "--hedge-delay 0 alpine",
    })
    void leavesEverythingElseToPicocli(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");

        assertThat(FastPull.parse(Main.withDefaultCommand(args))).isNull();
    }

    @Test
    void emptyArgumentsGoToPicocli() {
        assertThat(FastPull.parse(new String[] {"pull", ""})).isNull();
        assertThat(FastPull.parse(new String[] {"pull", "--store", "", "alpine"})).isNull();
    }

    @Test
    void aPicocliSystemPropertySendsEverythingToPicocli() {
        System.setProperty("picocli.trimQuotes", "true");
        try {
            assertThat(FastPull.parse(new String[] {"pull", "alpine"})).isNull();
        } finally {
            System.clearProperty("picocli.trimQuotes");
        }
        assertThat(FastPull.parse(new String[] {"pull", "alpine"})).isNotNull();
    }

    record Result(int exit, String out, String err) {
        /**
         * Durations vary between runs, and so does the order in which concurrently downloaded blobs report on
         * stderr: the stderr lines are compared as a sorted list.
         */
        static Result of(int exit, String out, String err) {
            String sortedErr = normalize(err).lines().sorted().collect(java.util.stream.Collectors.joining("\n"));
            return new Result(exit, normalize(out), sortedErr);
        }

        private static String normalize(String s) {
            return s.replaceAll("\"durationMs\" : \\d+", "\"durationMs\" : N")
                    .replaceAll("\"destination\" : \"oci:[^\"]*\"", "\"destination\" : \"oci:STORE\"")
                    .replaceAll("in \\d+\\.\\d s", "in N s")
                    .replaceAll("\\d+ ms", "N ms");
        }
    }

    private static Env env(Path storeParent) {
        return Env.of(Map.of("JPULL_STORE", storeParent.resolve("store").toString()), storeParent);
    }

    static Result viaMain(String[] args, Path envDir) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env(envDir));
        return Result.of(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result viaPicocli(String[] args, Path envDir) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        int exit = JpullCommand.commandLine(env(envDir), o, e, false).execute(Main.withDefaultCommand(args));
        o.flush();
        e.flush();
        return Result.of(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static PullCommand picocliParse(String[] args) {
        var parsed = JpullCommand.commandLine(Env.of(Map.of(), Path.of("/home")), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), false).parseArgs(args);
        return (PullCommand) parsed.subcommand().commandSpec().userObject();
    }

    private static List<Field> instanceFields() {
        List<Field> fields = new ArrayList<>();
        for (Field f : CommonOptions.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            f.setAccessible(true);
            if (f.isAnnotationPresent(picocli.CommandLine.Mixin.class)) { // e.g. --store, shared with StoreOptions
                for (Field m : f.getType().getDeclaredFields()) {
                    if (!Modifier.isStatic(m.getModifiers())) {
                        m.setAccessible(true);
                        fields.add(m);
                    }
                }
            } else {
                fields.add(f);
            }
        }
        return fields;
    }
}
