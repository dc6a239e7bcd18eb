package dev.jpull;

/**
 * Makes text from outside jpull (registries, mirrors, token services, the store, config files) safe to show on a
 * terminal, in a log or in a JSON value that a script decodes: every character that could move the cursor, start
 * a terminal escape sequence, end a line, reorder text or hide it is replaced by a visible escape.
 * <ul>
 * <li>C0 controls, DEL and C1 controls (U+0080..U+009F) become {@code \xNN}, e.g. ESC is {@code \x1b}, LF is
 * {@code \x0a};</li>
 * <li>format characters (bidi overrides and isolates such as U+202E, zero-width characters, U+FEFF), the line
 * and paragraph separators U+2028 and U+2029 and lone surrogates (what is left of invalid UTF-16) become
 * <code>&#92;u{XXXX}</code>, e.g. <code>&#92;u{202e}</code>;</li>
 * <li>everything else, including the backslash, is kept as it is. Invalid UTF-8 has already become U+FFFD when
 * bytes were decoded, which is printable.</li>
 * </ul>
 * The result contains no character that {@link #isUnsafe} reports, so escaping is idempotent:
 * {@code escape(escape(s)).equals(escape(s))}; text escaped where it enters jpull may be escaped again where it
 * is printed.
 */
public final class Printable {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Printable() {
    }

    /** {@code text} with every unsafe character escaped; null stays null. */
    public static String escape(String text) {
        if (text == null || isSafe(text)) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        appendEscaped(sb, text, false);
        return sb.toString();
    }

    /**
     * One line for a message: line breaks of jpull's own (a multi-line message from a parser) and the blanks
     * around them become one space, then the rest is escaped as {@link #escape} does. Null stays null.
     */
    public static String oneLine(String text) {
        if (text == null) {
            return null;
        }
        return escape(text.strip().replaceAll("[ \\t]*(?:\\r?\\n[ \\t]*)+", " "));
    }

    /** Whether {@code text} contains no unsafe character. */
    public static boolean isSafe(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (isUnsafe(Character.toCodePoint(c, text.charAt(++i)))) {
                    return false;
                }
            } else if (isUnsafe(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends {@code text} to {@code sb} with unsafe characters escaped; with {@code keepNewlines}, a line feed is
     * kept (for jpull's own multi-line output, whose untrusted fields were escaped already).
     */
    public static void appendEscaped(StringBuilder sb, CharSequence text, boolean keepNewlines) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                cp = Character.toCodePoint(c, text.charAt(++i));
            }
            if (keepNewlines && cp == '\n') {
                sb.append('\n');
            } else {
                appendCodePoint(sb, cp);
            }
        }
    }

    /** Appends code point {@code cp} (a lone surrogate is a code point here), escaped when it is unsafe. */
    public static void appendCodePoint(StringBuilder sb, int cp) {
        if (!isUnsafe(cp)) {
            sb.appendCodePoint(cp);
        } else if (cp < 0x100) {
            sb.append("\\x").append(HEX[cp >> 4]).append(HEX[cp & 0xf]);
        } else {
            sb.append("\\u{").append(Integer.toHexString(cp)).append('}');
        }
    }

    /**
     * Whether code point {@code cp} must not reach a terminal as it is: controls (C0, DEL, C1), format characters
     * (bidi embeddings, overrides and isolates, zero-width characters, soft hyphen, byte order mark, tags), line
     * and paragraph separators, and surrogates (a surrogate code point is a lone one).
     */
    public static boolean isUnsafe(int cp) {
        if (cp >= 0x20 && cp < 0x7f) {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE -> true;
            default -> false;
        };
    }
}
