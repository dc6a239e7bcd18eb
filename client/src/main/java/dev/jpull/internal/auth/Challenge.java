package dev.jpull.internal.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One RFC 7235 challenge from a {@code WWW-Authenticate} header.
 *
 * @param scheme  auth scheme, lower-cased ({@code bearer}, {@code basic}...)
 * @param params  auth-params, names lower-cased, values unquoted and unescaped; empty when none
 * @param token68 the token68 form instead of params, or null
 */
public record Challenge(String scheme, Map<String, String> params, String token68) {

    public Challenge {
        params = Map.copyOf(params);
    }

    /** Parameter by case-insensitive name, or null. */
    public String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Parses all challenges of all given header values. Several challenges in one value, quoted strings with
     * backslash escapes, and any case of scheme and parameter names are handled; malformed parts are skipped
     * rather than failing the whole header.
     */
    public static List<Challenge> parse(List<String> headerValues) {
        List<Challenge> out = new ArrayList<>();
        if (headerValues != null) {
            for (String value : headerValues) {
                if (value != null) {
                    new Parser(value).parseAll(out);
                }
            }
        }
        return out;
    }

    /** Cursor over one header value. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        void parseAll(List<Challenge> out) {
            while (true) {
                skipWhile(" \t,");
                if (pos >= s.length()) {
                    return;
                }
                String scheme = token();
                if (scheme.isEmpty()) {
                    pos++; // junk character: skip it
                    continue;
                }
                Map<String, String> params = new LinkedHashMap<>();
                String token68 = null;
                int afterScheme = pos;
                skipWhile(" \t");
                if (pos > afterScheme && pos < s.length() && s.charAt(pos) != ',') {
                    token68 = token68OrNull();
                    if (token68 == null) {
                        parseParams(params);
                    }
                }
                out.add(new Challenge(scheme.toLowerCase(Locale.ROOT), params, token68));
            }
        }

        /** token68 if the text at pos is one (ending at a comma or the end); pos unchanged otherwise. */
        private String token68OrNull() {
            int start = pos;
            int p = pos;
            while (p < s.length() && (Character.isLetterOrDigit(s.charAt(p)) || "-._~+/".indexOf(s.charAt(p)) >= 0)) {
                p++;
            }
            if (p == start) {
                return null;
            }
            while (p < s.length() && s.charAt(p) == '=') {
                p++;
            }
            int end = p;
            while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
                p++;
            }
            if (p < s.length() && s.charAt(p) != ',') {
                return null; // "name=value": auth-params
            }
            pos = p;
            return s.substring(start, end);
        }

        /** Reads {@code name=value} pairs separated by commas until something that starts a new challenge. */
        private void parseParams(Map<String, String> params) {
            while (pos < s.length()) {
                int mark = pos;
                String name = token();
                skipWhile(" \t");
                if (name.isEmpty() || pos >= s.length() || s.charAt(pos) != '=') {
                    pos = mark; // a new challenge starts here
                    return;
                }
                pos++; // '='
                skipWhile(" \t");
                String value = pos < s.length() && s.charAt(pos) == '"' ? quoted() : token();
                params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
                skipWhile(" \t");
                if (pos < s.length() && s.charAt(pos) != ',') {
                    // garbage after a value: skip to the next comma
                    while (pos < s.length() && s.charAt(pos) != ',') {
                        pos++;
                    }
                }
                skipWhile(" \t,");
            }
        }

        private String quoted() {
            StringBuilder sb = new StringBuilder();
            pos++; // opening quote
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                }
                sb.append(c);
            }
            return sb.toString(); // unterminated: take what there is
        }

        private String token() {
            int start = pos;
            while (pos < s.length() && isTchar(s.charAt(pos))) {
                pos++;
            }
            return s.substring(start, pos);
        }

        private void skipWhile(String chars) {
            while (pos < s.length() && chars.indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private static boolean isTchar(char c) {
            return c < 128 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
        }
    }
}
