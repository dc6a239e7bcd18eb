package dev.jpull.internal.diagnose;

import dev.jpull.AuthResult;
import dev.jpull.DnsResult;
import dev.jpull.EndpointDiagnosis;
import dev.jpull.ManifestResult;
import dev.jpull.PingResult;
import dev.jpull.TcpResult;
import dev.jpull.TlsResult;
import dev.jpull.Verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.AuthConfig;
import dev.jpull.RegistriesConfig;
import dev.jpull.RegistryConfig;
import dev.jpull.TlsConfig;
import dev.jpull.ImageReference;
import dev.jpull.Endpoint;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verdicts and hints from synthetic probe results (no network). */
class DiagnosisHintsTest {
    private static final ImageReference REF = ImageReference.parse("docker.io/library/alpine:3.20");
    private static final DnsResult DNS = new DnsResult("mirror.local", List.of("10.0.0.1"), 1, null);
    private static final TcpResult TCP = new TcpResult("ok", "10.0.0.1:5000", 2, null);
    private static final PingResult PING_OK = new PingResult("x", 200, "registry/2.0", 3, null, null);

    private static Endpoint endpoint(String scheme, String apiRoot, RegistryConfig config, String configKey) {
        return new Endpoint(scheme, "mirror.local:5000", apiRoot, "library/alpine", "docker.io", config, configKey,
                false, "docker.io");
    }

    private static Endpoint endpoint(String scheme, String apiRoot) {
        return endpoint(scheme, apiRoot, RegistryConfig.EMPTY, null);
    }

    private static EndpointDiagnosis judged(Endpoint ep, TlsResult tls, PingResult ping, AuthResult auth,
                                            ManifestResult manifest, RegistriesConfig config) {
        EndpointDiagnosis d = Judge.judge(new EndpointDiagnosis(ep, DNS, TCP, tls, ping, auth, manifest,
                Verdict.OK, "", List.of(), 10));
        return d.withHints(Hints.of(d, REF, config));
    }

    private static EndpointDiagnosis judged(Endpoint ep, TlsResult tls, PingResult ping, AuthResult auth,
                                            ManifestResult manifest) {
        return judged(ep, tls, ping, auth, manifest, RegistriesConfig.empty());
    }

    private static ManifestResult manifest(int status, String code) {
        return new ManifestResult("x", status, status == 200 ? "sha256:ab" : null,
                status == 200 ? "application/vnd.oci.image.index.v1+json" : null, code, code == null ? null : "m", 4);
    }

    private static TlsResult tlsFailure(String failure, String issuer) {
        return new TlsResult("TLSv1.3", "CN=mirror", issuer, Instant.parse("2020-01-01T00:00:00Z"),
                List.of("other.local"), false, failure, "some error", 5);
    }

    private static RegistriesConfig configs(Map<String, RegistryConfig> configs) {
        return new RegistriesConfig(null, Map.of(), configs, List.of());
    }

    @Test
    void manifestFoundIsOkWithoutHints() {
        EndpointDiagnosis d = judged(endpoint("https", "/v2"),
                new TlsResult("TLSv1.3", "CN=m", "CN=ca", Instant.now(), List.of(), true, null, null, 1),
                PING_OK, null, manifest(200, null));

        assertThat(d.verdict()).isEqualTo(Verdict.OK);
        assertThat(d.detail()).isEqualTo("sha256:ab application/vnd.oci.image.index.v1+json");
        assertThat(d.hints()).isEmpty();
        assertThat(d.latencyMs()).isEqualTo(3);
    }

    @Test
    void missingV2WhenTheOverridePathAnswersOnlyWithV2Appended() {
        PingResult ping = new PingResult("x", 404, null, 3, null, "https://mirror.local:5000/mirror/v2/");
        EndpointDiagnosis d = judged(endpoint("https", "/mirror"), null, ping, null, manifest(404, null));

        assertThat(d.verdict()).isEqualTo(Verdict.NOT_A_REGISTRY);
        assertThat(d.hints()).singleElement().asString().startsWith("missing /v2:")
                .endsWith("write the endpoint as \"https://mirror.local:5000/mirror/v2\"");
    }

    @Test
    void pathUsedAsApiRootWhenTheHostAnswersAtV2() {
        PingResult ping = new PingResult("x", 404, null, 3, null, "http://mirror.local:5000/v2/");
        EndpointDiagnosis d = judged(endpoint("http", "/mirror"), null, ping, null, manifest(404, null));

        assertThat(d.verdict()).isEqualTo(Verdict.NOT_A_REGISTRY);
        assertThat(d.hints()).singleElement().asString().startsWith("path used as API root:")
                .contains("path /mirror replaces /v2").endsWith("write the endpoint as \"http://mirror.local:5000\"");
    }

    @Test
    void noPathHintWhenNothingAnswersAsARegistry() {
        PingResult ping = new PingResult("x", 404, null, 3, null, null);
        EndpointDiagnosis d = judged(endpoint("http", "/mirror"), null, ping, null, manifest(404, null));

        assertThat(d.verdict()).isEqualTo(Verdict.NOT_A_REGISTRY);
        assertThat(d.hints()).isEmpty();
    }

    @Test
    void wrongSchemeInBothDirections() {
        TlsResult plain = new TlsResult(null, null, null, null, List.of(), false, TlsResult.PLAINTEXT, "plain", 0);
        EndpointDiagnosis https = judged(endpoint("https", "/v2"), plain, null, null, null);
        assertThat(https.verdict()).isEqualTo(Verdict.TLS_ERROR);
        assertThat(https.hints()).containsExactly("wrong scheme: mirror.local:5000 speaks plain HTTP, not TLS; list "
                + "the endpoint as \"http://mirror.local:5000\" in mirrors.\"docker.io\".endpoint");

        TlsResult speaksTls = new TlsResult("TLSv1.3", "CN=m", "CN=ca", Instant.now(), List.of(), true, null, null, 1);
        PingResult badRequest = new PingResult("x", 400, null, 3, null, null);
        EndpointDiagnosis http = judged(endpoint("http", "/v2"), speaksTls, badRequest, null, null);
        assertThat(http.verdict()).isEqualTo(Verdict.PROTOCOL_ERROR);
        assertThat(http.hints()).singleElement().asString()
                .startsWith("wrong scheme: mirror.local:5000 speaks TLS, not plain HTTP")
                .contains("\"https://mirror.local:5000\"");
    }

    @Test
    void unknownCaSuggestsCaFileUnderTheEndpointHost() {
        EndpointDiagnosis d = judged(endpoint("https", "/v2"), tlsFailure(TlsResult.UNTRUSTED, "CN=corp CA"),
                null, null, null);

        assertThat(d.verdict()).isEqualTo(Verdict.TLS_ERROR);
        assertThat(d.hints()).singleElement().asString().startsWith("unknown CA:").contains("CN=corp CA")
                .contains("set configs.\"mirror.local:5000\".tls.ca_file");
    }

    @Test
    void unknownCaWithACaFileSaysItIsTheWrongOne() {
        RegistryConfig withCa = new RegistryConfig(null, new TlsConfig(Path.of("/etc/ca.pem"), null, null, false));
        EndpointDiagnosis d = judged(endpoint("https", "/v2", withCa, "*"),
                tlsFailure(TlsResult.UNTRUSTED, "CN=corp CA"), null, null, null);

        assertThat(d.hints()).singleElement().asString()
                .contains("nor in configs.\"mirror.local:5000\".tls.ca_file (/etc/ca.pem)");
    }

    @Test
    void hostnameMismatchAndExpiryAreExplained() {
        EndpointDiagnosis name = judged(endpoint("https", "/v2"), tlsFailure(TlsResult.HOSTNAME, "CN=ca"),
                null, null, null);
        assertThat(name.hints()).singleElement().asString().contains("does not name mirror.local:5000")
                .contains("other.local");

        EndpointDiagnosis expired = judged(endpoint("https", "/v2"), tlsFailure(TlsResult.EXPIRED, "CN=ca"),
                null, null, null);
        assertThat(expired.hints()).singleElement().asString().contains("expired on 2020-01-01T00:00:00Z");
    }

    @Test
    void credentialsUnderTheMirrorNameInsteadOfTheEndpointHost() {
        Map<String, RegistryConfig> c = new LinkedHashMap<>();
        c.put("docker.io", new RegistryConfig(new AuthConfig("u", "secret-pw", null, null), null));
        AuthResult denied = new AuthResult("basic", null, null, "none", false, "no credentials", 401);
        EndpointDiagnosis d = judged(endpoint("https", "/v2"), null, new PingResult("x", 401, null, 3, null, null),
                denied, null, configs(c));

        assertThat(d.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(d.hints()).containsExactly("credentials under the wrong name: configs.\"docker.io\" has "
                + "credentials, but they are looked up by endpoint host; move them to configs.\"mirror.local:5000\"");
    }

    @Test
    void wildcardCredentialsAreNamedAsNeverUsed() {
        Map<String, RegistryConfig> c = new LinkedHashMap<>();
        c.put("*", new RegistryConfig(new AuthConfig("u", "secret-pw", null, null), null));
        AuthResult denied = new AuthResult("basic", null, null, "none", false, "no credentials", 401);
        EndpointDiagnosis d = judged(endpoint("https", "/v2"), null, new PingResult("x", 401, null, 3, null, null),
                denied, null, configs(c));
        assertThat(d.hints()).containsExactly("mirror.local:5000 asks for credentials and none are configured "
                + "(configs.\"*\".auth is never used: containerd looks credentials up by exact host); add "
                + "configs.\"mirror.local:5000\".auth");
    }

    @Test
    void unauthorizedWithoutAnyCredentialsOrWithRejectedOnes() {
        AuthResult denied = new AuthResult("bearer", "https://auth/token", "reg", "none", false, "401", 401);
        PingResult ping = new PingResult("x", 401, null, 3, null, null);
        EndpointDiagnosis none = judged(endpoint("https", "/v2"), null, ping, denied, null);
        assertThat(none.hints()).containsExactly("mirror.local:5000 asks for credentials and none are configured; "
                + "add configs.\"mirror.local:5000\".auth");

        RegistryConfig creds = new RegistryConfig(new AuthConfig("u", "p", null, null), null);
        AuthResult token = new AuthResult("bearer", "https://auth/token", "reg", "basic", true, null, 0);
        EndpointDiagnosis rejected = judged(endpoint("https", "/v2", creds, "mirror.local:5000"), null, ping, token,
                manifest(401, "UNAUTHORIZED"));
        assertThat(rejected.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(rejected.hints()).singleElement().asString().contains("rejected the credentials");
    }

    @Test
    void tokenServiceForbiddingIsForbidden() {
        AuthResult forbidden = new AuthResult("bearer", "https://auth/token", "reg", "basic", false, "403", 403);
        EndpointDiagnosis d = judged(endpoint("https", "/v2"), null, new PingResult("x", 401, null, 3, null, null),
                forbidden, null);
        assertThat(d.verdict()).isEqualTo(Verdict.FORBIDDEN);
    }

    @Test
    void tagAndRepositoryUnknown() {
        EndpointDiagnosis tag = judged(endpoint("https", "/v2"), null, PING_OK, null,
                manifest(404, "MANIFEST_UNKNOWN"));
        assertThat(tag.verdict()).isEqualTo(Verdict.NOT_FOUND);
        assertThat(tag.detail()).isEqualTo("HEAD manifest: 404 MANIFEST_UNKNOWN (m)");
        assertThat(tag.hints())
                .containsExactly("tag unknown: repository library/alpine has no tag 3.20 on this endpoint");

        Endpoint rewritten = new Endpoint("https", "mirror.local:5000", "/v2", "mirrored/alpine", "docker.io",
                RegistryConfig.EMPTY, null, false, "docker.io");
        EndpointDiagnosis repo = judged(rewritten, null, PING_OK, null, manifest(404, "NAME_UNKNOWN"));
        assertThat(repo.hints()).containsExactly("repository unknown: this endpoint has no repository "
                + "mirrored/alpine (rewritten from library/alpine by mirrors.\"docker.io\".rewrite)");
    }

    @Test
    void failuresBeforeHttpAreClassified() {
        Endpoint ep = endpoint("https", "/v2");
        EndpointDiagnosis noDns = Judge.judge(new EndpointDiagnosis(ep,
                new DnsResult("mirror.local", List.of(), 1, "cannot resolve mirror.local"), null, null, null, null,
                null, Verdict.OK, "", List.of(), 1));
        assertThat(noDns.verdict()).isEqualTo(Verdict.DNS_ERROR);
        assertThat(noDns.latencyMs()).isEqualTo(-1);

        EndpointDiagnosis slow = Judge.judge(new EndpointDiagnosis(ep, DNS,
                new TcpResult("timeout", "10.0.0.1:5000", 5000, "no answer"), null, null, null, null,
                Verdict.OK, "", List.of(), 1));
        assertThat(slow.verdict()).isEqualTo(Verdict.TIMEOUT);

        EndpointDiagnosis refused = Judge.judge(new EndpointDiagnosis(ep, DNS,
                new TcpResult("refused", "10.0.0.1:5000", 1, "connection refused"), null, null, null, null,
                Verdict.OK, "", List.of(), 1));
        assertThat(refused.verdict()).isEqualTo(Verdict.UNREACHABLE);
        assertThat(refused.detail()).isEqualTo("connection refused");
    }

    @Test
    void serverErrorsAndThrottling() {
        assertThat(judged(endpoint("https", "/v2"), null, PING_OK, null, manifest(503, null)).verdict())
                .isEqualTo(Verdict.SERVER_ERROR);
        EndpointDiagnosis throttled = judged(endpoint("https", "/v2"), null, PING_OK, null,
                manifest(429, "TOOMANYREQUESTS"));
        assertThat(throttled.verdict()).isEqualTo(Verdict.THROTTLED);
    }
}
