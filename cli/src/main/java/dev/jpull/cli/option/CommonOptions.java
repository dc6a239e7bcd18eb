package dev.jpull.cli.option;

import dev.jpull.EndpointPlan;
import dev.jpull.Jpull;
import dev.jpull.ProxyConfig;
import dev.jpull.cli.output.TraceListener;
import dev.jpull.cli.command.UsageException;
import dev.jpull.spi.PlanSource;
import dev.jpull.PullListener;
import dev.jpull.ConfigWarning;
import dev.jpull.RegistriesConfig;
import dev.jpull.Timeouts;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by {@code pull} and {@code resolve} (docs/interface.md, "Options of pull, resolve and diagnose"). */
public final class CommonOptions {
    /**
     * Defaults of the options below, shared with {@link dev.jpull.cli.startup.FastPull} (which builds options without
     * picocli).
     */
    public static final String DEFAULT_OUTPUT = "text";
    public static final String DEFAULT_CONNECT_TIMEOUT = "5s";
    public static final String DEFAULT_TLS_TIMEOUT = "10s";
    public static final String DEFAULT_HEADER_TIMEOUT = "15s";
    public static final String DEFAULT_READ_TIMEOUT = "15s";
    public static final String DEFAULT_SPEED_LIMIT = "1024";
    public static final String DEFAULT_SPEED_TIME = "30s";
    public static final String DEFAULT_MEMORY_TTL = "5m";

    @Mixin
    public ConfigOption configOption = new ConfigOption();

    @Option(names = "--hosts-dir", paramLabel = "DIR",
            description = "Use a containerd hosts directory (certs.d layout, hosts.toml) instead of registries.yaml, "
                    + "with containerd's rules.")
    Path hostsDir;

    @Option(names = "--containerd-config", paramLabel = "FILE",
            description = "Use the CRI registry section (mirrors/configs or config_path) of a containerd "
                    + "config.toml instead of registries.yaml, with containerd's rules.")
    Path containerdConfig;

    /** Set by {@link #loadConfig} when --hosts-dir or --containerd-config is given. */
    private PlanSource planSource;

    @Mixin
    public StoreOption storeOption = new StoreOption();

    /** The first {@code --platform}, null when none was given: the one platform of every command but pull. */
    public String platform;

    /** Every {@code --platform} in order; {@code pull} takes several (the image of each). */
    public List<String> platforms = List.of();

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", converter = PlatformConverter.class,
            description = "Image of a multi-platform index to pull. Default: the host's (linux/amd64 on x86-64). "
                    + "pull takes it more than once: the image of each platform, the index naming them in the store.")
    void platforms(List<String> given) {
        platforms = List.copyOf(given);
        platform = given.isEmpty() ? null : given.get(0);
    }

    @Mixin
    public FormatOption formatOption = new FormatOption();

    @Option(names = "--disable-default-endpoint",
            description = "Do not append the registry's own endpoint after the mirrors "
                    + "(K3s --disable-default-registry-endpoint).")
    public boolean disableDefaultEndpoint;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = DEFAULT_CONNECT_TIMEOUT,
            converter = DurationConverter.class,
            description = "Limit for a TCP connect (e.g. 500ms, 5s, 1m; 0 = none). Default: ${DEFAULT-VALUE}.")
    public Duration connectTimeout;

    @Option(names = "--tls-timeout", paramLabel = "DURATION", defaultValue = DEFAULT_TLS_TIMEOUT,
            converter = DurationConverter.class,
            description = "Limit for a TLS handshake, added to the connect limit. Default: ${DEFAULT-VALUE}.")
    public Duration tlsTimeout;

    @Option(names = "--header-timeout", paramLabel = "DURATION", defaultValue = DEFAULT_HEADER_TIMEOUT,
            converter = DurationConverter.class,
            description = "Limit from request sent to response headers received; for a registry request one "
                    + "deadline for the request, its token fetch and redirects together. Default: ${DEFAULT-VALUE}.")
    public Duration headerTimeout;

    @Option(names = "--read-timeout", paramLabel = "DURATION", defaultValue = DEFAULT_READ_TIMEOUT,
            converter = DurationConverter.class,
            description = "Longest pause between two reads of a response body; a stalled endpoint is abandoned "
                    + "for the next one. Default: ${DEFAULT-VALUE}.")
    public Duration readTimeout;

    @Option(names = "--speed-limit", paramLabel = "BYTES_PER_SECOND", defaultValue = DEFAULT_SPEED_LIMIT,
            converter = ByteRates.Converter.class,
            description = "Low-speed limit (as curl's): a body (manifest, blob, token) slower than this for "
                    + "--speed-time is abandoned for the next endpoint, a blob resuming where it stopped "
                    + "(e.g. 1024, 1k, 64KiB; 0 = none). Default: ${DEFAULT-VALUE}.")
    public long speedLimit;

    @Option(names = "--speed-time", paramLabel = "DURATION", defaultValue = DEFAULT_SPEED_TIME,
            converter = DurationConverter.class,
            description = "Window of the low-speed limit (0 = no limit). Default: ${DEFAULT-VALUE}.")
    public Duration speedTime;

    @Option(names = "--no-memory", description = "Ignore the endpoint memory (STORE/state/endpoints.json, what "
            + "earlier pulls saw of each endpoint): neither read nor write it, so endpoints are tried in plan order.")
    public boolean noMemory;

    @Option(names = "--memory-ttl", paramLabel = "DURATION", defaultValue = DEFAULT_MEMORY_TTL,
            converter = DurationConverter.class,
            description = "How long what a pull saw of an endpoint (a failure, its round trip and throughput) is "
                    + "remembered for the next pulls (more than 0). Default: ${DEFAULT-VALUE}.")
    public Duration memoryTtl;

    @Mixin
    public CredentialOptions credentialOptions = new CredentialOptions();

    /**
     * Set by a command that never talks to a registry ({@code resolve}): the credentials are not used, so no
     * password is read.
     */
    public boolean offline;

    @Option(names = "--debug", description = "Trace every HTTP request and response on stderr (headers only; "
            + "credentials, tokens and cookies redacted) and show stack traces of errors.")
    public boolean debug;

    /**
     * The values of these options as a plain value, with which the pull runs; {@link dev.jpull.cli.startup.FastPull}
     * builds the same value without picocli.
     */
    public record Values(Path config, Path hostsDir, Path containerdConfig, Path store, String platform,
                         OutputFormat output, boolean disableDefaultEndpoint, Duration connectTimeout,
                         Duration tlsTimeout, Duration headerTimeout, Duration readTimeout, long speedLimit,
                         Duration speedTime, boolean noMemory, Duration memoryTtl, boolean debug,
                         CredentialOptions.Given creds) {
        /** Every option at picocli's default except {@code --store}, {@code --config} and {@code --output}. */
        public static Values defaults(Path store, Path config, OutputFormat output) {
            return new Values(config, null, null, store, null, output, false,
                    Durations.parse(DEFAULT_CONNECT_TIMEOUT), Durations.parse(DEFAULT_TLS_TIMEOUT),
                    Durations.parse(DEFAULT_HEADER_TIMEOUT), Durations.parse(DEFAULT_READ_TIMEOUT),
                    ByteRates.parse(DEFAULT_SPEED_LIMIT), Durations.parse(DEFAULT_SPEED_TIME), false,
                    Durations.parse(DEFAULT_MEMORY_TTL), false, CredentialOptions.Given.NONE);
        }
    }

    /** The values picocli set. */
    public Values values() {
        return new Values(configOption.config, hostsDir, containerdConfig, storeOption.store, platform, formatOption.output,
                disableDefaultEndpoint,
                connectTimeout, tlsTimeout, headerTimeout, readTimeout, speedLimit, speedTime, noMemory, memoryTtl,
                debug, credentialOptions.given());
    }

    /** Options holding {@code v}, as if picocli had parsed them. */
    public static CommonOptions of(Values v) {
        CommonOptions o = new CommonOptions();
        o.configOption.config = v.config();
        o.hostsDir = v.hostsDir();
        o.containerdConfig = v.containerdConfig();
        o.storeOption.store = v.store();
        o.platform = v.platform();
        o.formatOption.output = v.output();
        o.disableDefaultEndpoint = v.disableDefaultEndpoint();
        o.connectTimeout = v.connectTimeout();
        o.tlsTimeout = v.tlsTimeout();
        o.headerTimeout = v.headerTimeout();
        o.readTimeout = v.readTimeout();
        o.speedLimit = v.speedLimit();
        o.speedTime = v.speedTime();
        o.noMemory = v.noMemory();
        o.memoryTtl = v.memoryTtl();
        o.debug = v.debug();
        o.credentialOptions = CredentialOptions.of(v.creds());
        return o;
    }

    /** The configuration file in effect: {@code --config}, else the environment's default, else none. */
    Optional<Path> configFile(Env env) {
        return configOption.file(env);
    }

    /** The store in effect: {@code --store}, else the environment's default. */
    Path storeDir(Env env) {
        return storeOption.dir(env);
    }

    /**
     * The endpoint memory file in effect: {@code STORE/state/endpoints.json} of the store in effect (also when the
     * pull goes into containerd), or null with {@code --no-memory}.
     */
    public Path memoryFile(Env env) {
        return noMemory ? null : storeDir(env).resolve("state").resolve("endpoints.json");
    }

    /** {@code --memory-ttl}, checked: the library refuses a ttl of 0 as a programming error. */
    Duration memoryTtl() {
        if (memoryTtl.isZero()) {
            throw new UsageException("invalid --memory-ttl 0: must be more than 0 (--no-memory turns the memory off)");
        }
        return memoryTtl;
    }

    public Timeouts timeouts() {
        return new Timeouts(connectTimeout, tlsTimeout, headerTimeout, readTimeout, speedLimit, speedTime);
    }

    /**
     * Checks the configuration options and loads the configuration in effect with the library's factory
     * ({@link PlanSource}): {@code --hosts-dir} or {@code --containerd-config} become the client's plan source,
     * else the registries.yaml in effect is returned (empty when there is none). A malformed file throws here;
     * the files' warnings come with each plan ({@link #printWarnings}). {@code err} gets option warnings only.
     */
    public RegistriesConfig loadConfig(Env env, PrintWriter err) {
        planSource = null;
        if (hostsDir != null && containerdConfig != null) {
            throw new UsageException("--hosts-dir and --containerd-config cannot be used together");
        }
        if (hostsDir == null && containerdConfig == null) {
            return configFile(env).map(f -> RegistriesConfig.load(f, env.cwd())).orElse(RegistriesConfig.empty());
        }
        String option = hostsDir != null ? "--hosts-dir" : "--containerd-config";
        if (configOption.config != null) {
            throw new UsageException(option + " and --config cannot be used together");
        }
        if (disableDefaultEndpoint) {
            err.println("jpull: warning: --disable-default-endpoint has no effect with " + option
                    + " (containerd tries `server` last; set it to the mirror to avoid the registry)");
            err.flush();
        }
        if (hostsDir != null && !Files.isDirectory(hostsDir)) {
            throw new UsageException("--hosts-dir " + hostsDir + ": no such directory");
        }
        planSource = hostsDir != null ? PlanSource.hostsDir(hostsDir) : PlanSource.containerdConfig(containerdConfig);
        return RegistriesConfig.empty();
    }

    /** Prints the warnings of the configuration {@code plan} was made from, each once, on {@code err}. */
    public static void printWarnings(EndpointPlan plan, PrintWriter err) {
        for (ConfigWarning w : plan.warnings()) {
            err.println(warningLine(w));
        }
        err.flush();
    }

    /** A library client configured from these options. */
    public Jpull client(Env env, RegistriesConfig registries, PullListener listener) {
        return builder(env, registries, listener, null).build();
    }

    /** As above; with {@code --debug}, the HTTP trace is printed on {@code err} (when not null). */
    public Jpull client(Env env, RegistriesConfig registries, PullListener listener, PrintWriter err) {
        return builder(env, registries, listener, err).build();
    }

    /**
     * The client of a command that asks registries (digest, inspect, tags, diagnose): the configuration read (its
     * warnings on {@code err}), failover trace and {@code --debug} HTTP trace on {@code err}.
     */
    public Jpull queryClient(Env env, PrintWriter err) {
        return client(env, loadConfig(env, err), new TraceListener(err), err);
    }

    /**
     * A library client builder configured from these options (for command-specific settings); with
     * {@code --debug}, the HTTP trace is printed on {@code err} (when not null).
     */
    public Jpull.Builder builder(Env env, RegistriesConfig registries, PullListener listener, PrintWriter err) {
        if (platforms.size() > 1) { // pull's options come through Values, which carries one
            throw new UsageException("--platform given " + platforms.size() + " times: only pull takes several");
        }
        Jpull.Builder b = Jpull.builder();
        if (env.all() != null) { // the proxy variables of the process jpull runs for (a daemon's client)
            b.proxies(ProxyConfig.fromEnvironment(env.all()));
        }
        if (planSource != null) {
            b.planSource(planSource);
        }
        if (!offline) {
            b.credentials(credentialOptions.source(env, err != null ? err
                    : new PrintWriter(java.io.Writer.nullWriter())));
        }
        return b
                .httpTrace(debug && err != null ? block -> printBlock(err, block) : null)
                .config(registries)
                .store(storeDir(env))
                .endpointMemory(memoryFile(env))
                .endpointMemoryTtl(memoryTtl())
                .platform(platform)
                .disableDefaultEndpoint(disableDefaultEndpoint)
                .timeouts(timeouts())
                .listener(listener);
    }

    /** Warns on {@code err} when the plan for {@code reference} has no endpoint at all. */
    public static void warnIfNoEndpoint(boolean none, Object reference, PrintWriter err) {
        if (none) {
            err.println("jpull: warning: no endpoint for " + reference
                    + " (the default endpoint is disabled and no mirror matches)");
        }
    }

    /** One block of the HTTP trace (its server text escaped by {@link dev.jpull.internal.http.HttpTrace}), line by line. */
    private static void printBlock(PrintWriter err, String block) {
        synchronized (err) {
            for (String line : block.split("\n", -1)) {
                err.println(line);
            }
            err.flush();
        }
    }

    /** {@code jpull: warning: FILE:LINE:COL: MESSAGE}; line and column are left out when unknown. */
    public static String warningLine(ConfigWarning w) {
        return "jpull: warning: " + w.located();
    }
}
