package dev.jpull.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChallengeTest {

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                                + "scope=\"repository:samalba/my-app:pull,push\"",
                        List.of(new Challenge("bearer", Map.of("realm", "https://auth.docker.io/token",
                                "service", "registry.docker.io", "scope", "repository:samalba/my-app:pull,push"), null))),
                Arguments.of("Basic realm=\"simple\"",
                        List.of(new Challenge("basic", Map.of("realm", "simple"), null))),
                Arguments.of("BASIC Realm=simple",
                        List.of(new Challenge("basic", Map.of("realm", "simple"), null))),
                Arguments.of("Basic realm=\"a\", Bearer realm=\"https://t/token\", service=s",
                        List.of(new Challenge("basic", Map.of("realm", "a"), null),
                                new Challenge("bearer", Map.of("realm", "https://t/token", "service", "s"), null))),
                Arguments.of("Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"",
                        List.of(new Challenge("newauth", Map.of("realm", "apps", "type", "1", "title", "Login to \"apps\""), null),
                                new Challenge("basic", Map.of("realm", "simple"), null))),
                Arguments.of("Bearer realm = \"x, y\" , error=\"invalid_token\"",
                        List.of(new Challenge("bearer", Map.of("realm", "x, y", "error", "invalid_token"), null))),
                Arguments.of("Negotiate abc+/=, Basic",
                        List.of(new Challenge("negotiate", Map.of(), "abc+/="),
                                new Challenge("basic", Map.of(), null))),
                Arguments.of("Basic, Bearer realm=\"r\"",
                        List.of(new Challenge("basic", Map.of(), null),
                                new Challenge("bearer", Map.of("realm", "r"), null))),
                Arguments.of("Bearer realm=\"unterminated",
                        List.of(new Challenge("bearer", Map.of("realm", "unterminated"), null))),
                Arguments.of("", List.of()),
                Arguments.of(" , ,", List.of()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("table")
    void parses(String header, List<Challenge> expected) {
        assertThat(Challenge.parse(List.of(header))).isEqualTo(expected);
    }

    @Test
    void severalHeaderLinesAreConcatenatedInOrder() {
        List<Challenge> cs = Challenge.parse(List.of("Basic realm=\"r1\"", "Bearer realm=\"r2\""));
        assertThat(cs).extracting(Challenge::scheme).containsExactly("basic", "bearer");
        assertThat(cs.get(1).param("REALM")).isEqualTo("r2");
    }

    @Test
    void nullInputYieldsNothing() {
        assertThat(Challenge.parse(null)).isEmpty();
    }
}
