package dev.jpull.internal.diagnose;

import dev.jpull.AuthResult;
import dev.jpull.ConfigException;
import dev.jpull.CredentialsException;
import dev.jpull.DnsResult;
import dev.jpull.EndpointDiagnosis;
import dev.jpull.ManifestResult;
import dev.jpull.PingResult;
import dev.jpull.TcpResult;
import dev.jpull.internal.registry.Advice;
import dev.jpull.internal.registry.Failures;
import dev.jpull.TlsResult;
import dev.jpull.Verdict;

import dev.jpull.internal.auth.AuthException;
import dev.jpull.internal.auth.Authenticator;
import dev.jpull.internal.auth.Challenge;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.http.HttpClients;
import dev.jpull.internal.http.Transport;
import dev.jpull.Timeouts;
import dev.jpull.ImageReference;
import dev.jpull.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** Runs the probe steps against one endpoint and judges the result. Thread-safe. */
final class EndpointProber {
    private final Transport transport;
    private final HttpClients http;
    private final Authenticator authenticator;
    private final Timeouts timeouts;
    private final ImageReference reference;
    private final RegistriesConfig config;
    private final TlsProbe tlsProbe;

    EndpointProber(Transport transport, Authenticator authenticator, Timeouts timeouts, ImageReference reference,
                   RegistriesConfig config) {
        this.transport = transport;
        this.http = transport.clients();
        this.authenticator = authenticator;
        this.timeouts = timeouts;
        this.reference = reference;
        this.config = config;
        this.tlsProbe = new TlsProbe(timeouts);
    }

    EndpointDiagnosis probe(Endpoint ep) {
        long start = System.nanoTime();
        Steps s = new Steps();
        String configError = run(ep, s);
        EndpointDiagnosis d = new EndpointDiagnosis(ep, s.dns, s.tcp, s.tls, s.ping, s.auth, s.manifest,
                Verdict.OK, "", List.of(), Diagnoser.millisSince(start));
        d = configError != null ? d.withVerdict(Verdict.CONFIG_ERROR, configError) : Judge.judge(d);
        return d.withHints(Hints.of(d, reference, config));
    }

    /** What the steps found so far. */
    private static final class Steps {
        DnsResult dns;
        TcpResult tcp;
        TlsResult tls;
        PingResult ping;
        AuthResult auth;
        ManifestResult manifest;
        InetSocketAddress connected;
    }

    /** Runs the steps until one makes the rest pointless; returns a configuration error, or null. */
    private String run(Endpoint ep, Steps s) {
        HttpUrl origin = HttpUrl.parse(ep.scheme() + "://" + ep.host() + "/");
        if (origin == null) {
            return "not a usable URL: " + ep.baseUrl();
        }
        s.dns = resolve(origin.host());
        if (!s.dns.ok()) {
            return null;
        }
        s.tcp = connect(s, origin.port());
        if (!s.tcp.ok()) {
            return null;
        }
        OkHttpClient client;
        try {
            client = http.forEndpoint(ep);
        } catch (ConfigException e) { // unreadable ca_file, cert without key: the message names key and position
            return String.valueOf(e.getMessage());
        }
        if (origin.isHttps()) {
            s.tls = tlsProbe.probe(s.connected, origin.host(), client.sslSocketFactory(), client.hostnameVerifier());
            if (!s.tls.verified()) {
                return null;
            }
        }
        RegistryRequests requests = new RegistryRequests(transport, ep, timeouts);
        RegistryRequests.Ping ping = requests.ping();
        s.ping = ping.result();
        if (!origin.isHttps() && !s.ping.registryAnswer()) {
            // the endpoint's client may be cleartext-only; probe TLS with the default (system trust) client
            OkHttpClient tlsClient = http.plain();
            TlsResult tls = tlsProbe.probe(s.connected, origin.host(), tlsClient.sslSocketFactory(),
                    tlsClient.hostnameVerifier());
            if (tls.speaksTls()) {
                s.tls = tls; // an http:// endpoint whose port speaks TLS
                return null;
            }
        }
        if (!s.ping.answered()) {
            return null;
        }
        try {
            authorizeAndHead(ep, s, requests, ping.challenges());
        } catch (CredentialsException | ConfigException e) { // configs.<host>.auth.auth not base64, ...
            return e.getMessage();
        }
        return null;
    }

    private void authorizeAndHead(Endpoint ep, Steps s, RegistryRequests requests, List<String> pingChallenges) {
        String authorization = null;
        if (s.ping.status() == 401) {
            Auth a = authenticate(ep, pingChallenges);
            s.auth = a.result();
            if (a.header() == null) {
                return;
            }
            authorization = a.header();
        }
        RegistryRequests.Head head = requests.headManifest(reference.manifestReference(), authorization);
        if (head.result().status() == 401 && s.auth == null) {
            Auth a = authenticate(ep, head.challenges());
            s.auth = a.result();
            if (a.header() != null) {
                head = requests.headManifest(reference.manifestReference(), a.header());
            }
        }
        s.manifest = head.result();
    }

    /** What authentication found, plus the header to send (never shown: no toString of the header). */
    private record Auth(AuthResult result, String header) {
        @Override
        public String toString() {
            return result.toString();
        }
    }

    private Auth authenticate(Endpoint ep, List<String> wwwAuthenticate) {
        List<Challenge> challenges = Challenge.parse(wwwAuthenticate);
        Challenge c = challenges.stream().filter(x -> x.scheme().equals("bearer")).findFirst()
                .orElse(challenges.stream().filter(x -> x.scheme().equals("basic")).findFirst().orElse(null));
        String scheme = c == null ? null : c.scheme();
        String realm = c == null ? null : withoutQuery(c.param("realm"));
        String service = c == null ? null : c.param("service");
        String creds = ep.credentialsKind();
        String scope = "repository:" + ep.repository() + ":pull";
        try {
            String header = authenticator.respond(ep, scope, wwwAuthenticate, null,
                    dev.jpull.internal.http.Deadline.after(timeouts.headers()));
            if (header == null) {
                String why = c == null ? "401 without a Bearer or Basic challenge"
                        : "the registry asks for Basic credentials and none are configured for " + ep.host();
                return new Auth(new AuthResult(scheme, realm, service, creds, false, why, 401), null);
            }
            return new Auth(new AuthResult(scheme, realm, service, creds, true, null, 0), header);
        } catch (AuthException e) {
            return new Auth(new AuthResult(scheme, realm, service, creds, false, e.getMessage(), e.status()), null);
        }
    }

    private static String withoutQuery(String url) {
        if (url == null) {
            return null;
        }
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static DnsResult resolve(String host) {
        long start = System.nanoTime();
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            return new DnsResult(host, Arrays.stream(all).map(InetAddress::getHostAddress).toList(),
                    Diagnoser.millisSince(start), null);
        } catch (UnknownHostException e) {
            return new DnsResult(host, List.of(), Diagnoser.millisSince(start), Advice.unresolved(host));
        }
    }

    /** Connects to each resolved address in turn until one accepts. */
    private TcpResult connect(Steps s, int port) {
        TcpResult last = null;
        for (String address : s.dns.addresses()) {
            InetSocketAddress target = new InetSocketAddress(address, port);
            String shown = (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
            long start = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.connect(target, (int) timeouts.connect().toMillis());
                s.connected = target;
                return new TcpResult("ok", shown, Diagnoser.millisSince(start), null);
            } catch (SocketTimeoutException e) {
                last = new TcpResult("timeout", shown, Diagnoser.millisSince(start),
                        "no answer to TCP connect within " + timeouts.connect().toMillis() + " ms");
            } catch (IOException e) {
                String kind = Failures.connectKind(e);
                last = new TcpResult(kind, shown, Diagnoser.millisSince(start), switch (kind) {
                    case Failures.REFUSED -> Advice.refused(shown);
                    case Failures.UNREACHABLE -> Advice.unreachable(shown);
                    default -> Diagnoser.describe(e);
                });
            }
        }
        return last;
    }
}
