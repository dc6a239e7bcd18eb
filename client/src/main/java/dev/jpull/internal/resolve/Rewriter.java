package dev.jpull.internal.resolve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A mirror's {@code rewrite} rules with the semantics of the K3s containerd fork ({@code withRewritesFromHost}):
 * patterns in file order, Go {@code Regexp.ReplaceAllString} on the repository, the first pattern whose result
 * differs from the input wins. Replacement strings use Go's template syntax ({@code $1}, {@code ${1}},
 * {@code ${name}}, {@code $$}), which is translated here rather than handed to {@link Matcher#replaceAll}.
 */
final class Rewriter {
    private static final Pattern GO_NAMED_GROUP = Pattern.compile("\\(\\?P<");

    /** A repository name of the reference grammar (distribution/reference), at most 255 characters. */
    private static final Pattern REPOSITORY = Pattern.compile(
            "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

    private final List<Rule> rules;
    private final BiConsumer<String, String> warn;

    private record Rule(String source, Pattern pattern, String replacement) {
    }

    private Rewriter(List<Rule> rules, BiConsumer<String, String> warn) {
        this.rules = rules;
        this.warn = warn;
    }

    /** As {@link #compilePerPattern}, for warnings that need not know the pattern. */
    static Rewriter compile(Map<String, String> rewrites, Consumer<String> warn) {
        return compilePerPattern(rewrites, (pattern, message) -> warn.accept(message));
    }

    /**
     * Compiles the rules; an invalid pattern is skipped and reported to {@code warn} (pattern, message) as K3s
     * logs and skips it. {@link #apply} reports there too.
     */
    static Rewriter compilePerPattern(Map<String, String> rewrites, BiConsumer<String, String> warn) {
        List<Rule> rules = new ArrayList<>();
        for (Map.Entry<String, String> e : rewrites.entrySet()) {
            try {
                String javaSyntax = GO_NAMED_GROUP.matcher(e.getKey()).replaceAll("(?<");
                rules.add(new Rule(e.getKey(), Pattern.compile(javaSyntax), e.getValue()));
            } catch (PatternSyntaxException ex) {
                warn.accept(e.getKey(), "ignoring rewrite pattern \"" + e.getKey() + "\": invalid regular expression ("
                        + ex.getDescription() + ")");
            }
        }
        return new Rewriter(List.copyOf(rules), warn);
    }

    /**
     * The repository after the first rule that changes it, or {@code repository} unchanged. A result that is not
     * a repository name (it would change the request path: {@code ..}, {@code ?}, {@code #}, spaces) skips the
     * rule with a warning, as K3s's wharfie does.
     */
    String apply(String repository) {
        for (Rule rule : rules) {
            String result = replaceAll(rule.pattern(), repository, rule.replacement());
            if (result.equals(repository)) {
                continue;
            }
            if (result.length() > 255 || !REPOSITORY.matcher(result).matches()) {
                warn.accept(rule.source(), "ignoring rewrite pattern \"" + rule.source() + "\" for " + repository
                        + ": the result \"" + result + "\" is not a valid repository name");
                continue;
            }
            return result;
        }
        return repository;
    }

    /** Go {@code Regexp.ReplaceAllString}: an empty match right after the previous match is not replaced. */
    static String replaceAll(Pattern pattern, String src, String template) {
        Matcher m = pattern.matcher(src);
        StringBuilder out = new StringBuilder();
        int lastMatchEnd = 0;
        while (m.find()) {
            out.append(src, lastMatchEnd, m.start());
            if (m.end() > lastMatchEnd || m.start() == 0) {
                expand(m, template, out);
            }
            lastMatchEnd = m.end();
        }
        out.append(src, lastMatchEnd, src.length());
        return out.toString();
    }

    /**
     * Go {@code Regexp.Expand}: after {@code $} take {@code {name}} or the longest run of letters, digits and
     * {@code _}; an all-digit name (no leading zero) is a group number, otherwise a group name; a group that does
     * not exist or did not match gives the empty string; {@code $$} is a literal {@code $}; a {@code $} not
     * followed by a valid name is kept literally.
     */
    static void expand(Matcher m, String template, StringBuilder out) {
        int i = 0;
        int n = template.length();
        while (i < n) {
            char c = template.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            i++;
            if (i < n && template.charAt(i) == '$') {
                out.append('$');
                i++;
                continue;
            }
            boolean brace = i < n && template.charAt(i) == '{';
            int start = brace ? i + 1 : i;
            int j = start;
            while (j < n && isNameChar(template.codePointAt(j))) {
                j += Character.charCount(template.codePointAt(j));
            }
            if (j == start || (brace && (j >= n || template.charAt(j) != '}'))) {
                out.append('$'); // malformed: the $ is literal text, the rest is copied as usual
                continue;
            }
            String name = template.substring(start, j);
            i = brace ? j + 1 : j;
            String value = group(m, name);
            if (value != null) {
                out.append(value);
            }
        }
    }

    private static String group(Matcher m, String name) {
        int num = groupNumber(name);
        if (num >= 0) {
            return num <= m.groupCount() ? m.group(num) : null;
        }
        try {
            return m.group(name);
        } catch (IllegalArgumentException e) {
            return null; // no group with that name
        }
    }

    /** Go's rule: digits only, no leading zero (except "0" itself), else -1 (a name). */
    private static int groupNumber(String name) {
        if (name.length() > 1 && name.charAt(0) == '0') {
            return -1;
        }
        long num = 0;
        for (int k = 0; k < name.length(); k++) {
            char ch = name.charAt(k);
            if (ch < '0' || ch > '9' || num >= 100_000_000L) {
                return -1;
            }
            num = num * 10 + (ch - '0');
        }
        return (int) num;
    }

    private static boolean isNameChar(int cp) {
        return Character.isLetter(cp) || Character.isDigit(cp) || cp == '_';
    }

    @Override
    public String toString() {
        return "Rewriter" + rules.stream().map(Rule::source).toList();
    }
}
