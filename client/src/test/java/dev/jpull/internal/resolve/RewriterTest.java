package dev.jpull.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RewriterTest {
    private static Map<String, String> rules(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String rewrite(String repository, String... kv) {
        return Rewriter.compile(rules(kv), w -> { }).apply(repository);
    }

    @ParameterizedTest(name = "{1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        // template          | expected (pattern ^(rancher)/(?P<rest>.*)$ on rancher/pause)
        "mirror/$2           | mirror/pause",
        "mirror/${2}         | mirror/pause",
        "$1x/$2              | /pause",
        "${1}x/$2            | rancherx/pause",
        "m/${rest}           | m/pause",
        "m/$rest             | m/pause",
        "m/$rest_            | m/",
        "m/$nosuch           | m/",
        "m/$9                | m/",
        "m/$0                | m/rancher/pause",
        "m/$01               | m/",
        "cost$$/$2           | cost$/pause",
        "a$                  | a$",
        "a$-$2               | a$-pause",
        "a${2                | a${2",
        "a${}                | a${}",
        "\\$1                | \\rancher",
    })
    void expandsGoTemplateSyntax(String template, String expected) {
        Pattern p = Pattern.compile("^(rancher)/(?<rest>.*)$");
        assertThat(Rewriter.replaceAll(p, "rancher/pause", template)).isEqualTo(expected);
    }

    @Test
    void goNamedGroupSyntaxIsAccepted() {
        assertThat(rewrite("rancher/pause", "^(?P<org>[^/]+)/(?P<name>.*)$", "${name}-from-${org}"))
                .isEqualTo("pause-from-rancher");
    }

    @Test
    void groupThatDidNotParticipateIsEmpty() {
        assertThat(rewrite("library/alpine", "^(x/)?(library)/(.*)$", "a${1}b/$3")).isEqualTo("ab/alpine");
    }

    @Test
    void unanchoredPatternsReplaceEveryMatch() {
        assertThat(rewrite("banana/ban", "a", "o")).isEqualTo("bonono/bon");
    }

    @Test
    void emptyMatchRightAfterAMatchIsNotReplacedAsInGo() {
        // Go: regexp.MustCompile("a*").ReplaceAllString("baaac", "-") == "-b-c-"
        assertThat(Rewriter.replaceAll(Pattern.compile("a*"), "baaac", "-")).isEqualTo("-b-c-");
        assertThat(Rewriter.replaceAll(Pattern.compile(""), "ab", "-")).isEqualTo("-a-b-");
    }

    @Test
    void firstPatternThatChangesTheNameWins() {
        String[] kv = {"^library/(.*)", "mirror/$1", "^(.*)$", "all/$1"};
        assertThat(rewrite("library/alpine", kv)).isEqualTo("mirror/alpine");
        assertThat(rewrite("rancher/pause", kv)).isEqualTo("all/rancher/pause");
    }

    @Test
    void aMatchThatLeavesTheNameUnchangedDoesNotStopTheSearch() {
        assertThat(rewrite("library/alpine", "^(library)/", "$1/", "alpine$", "busybox"))
                .isEqualTo("library/busybox");
    }

    @Test
    void patternsApplyInFileOrder() {
        assertThat(rewrite("rancher/pause", "^rancher/", "a/", "pause$", "b")).isEqualTo("a/pause");
        assertThat(rewrite("rancher/pause", "pause$", "b", "^rancher/", "a/")).isEqualTo("rancher/b");
    }

    @Test
    void noMatchKeepsTheName() {
        assertThat(rewrite("library/alpine", "^rancher/(.*)", "x/$1")).isEqualTo("library/alpine");
    }

    @Test
    void invalidPatternIsSkippedWithAWarning() {
        List<String> warnings = new ArrayList<>();
        Rewriter r = Rewriter.compile(rules("^(rancher", "x", "^rancher/(.*)", "y/$1"), warnings::add);
        assertThat(r.apply("rancher/pause")).isEqualTo("y/pause");
        assertThat(warnings).singleElement().asString()
                .startsWith("ignoring rewrite pattern \"^(rancher\": invalid regular expression");
    }
}
