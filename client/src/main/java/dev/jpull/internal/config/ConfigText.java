package dev.jpull.internal.config;

import dev.jpull.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads configuration files (YAML and TOML) into text. Errors are {@link ConfigException}s naming the file, and for
 * bad bytes the line and column where decoding stopped; they never quote the file's content.
 *
 * <p>YAML is decoded as gopkg.in/yaml.v2 (K3s) does: a UTF-16LE, UTF-16BE or UTF-8 byte order mark selects the
 * encoding and is dropped, anything else is UTF-8. TOML is UTF-8 (a UTF-8 BOM is dropped). Files larger than
 * {@link #MAX_BYTES} are refused rather than read into memory.
 */
final class ConfigText {
    /** Far beyond any real registries.yaml, hosts.toml or config.toml. */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private ConfigText() {
    }

    /** A YAML file's text (BOM-selected UTF-8 or UTF-16, as yaml.v2). */
    static String yaml(Path file) {
        return decode(file, read(file), true);
    }

    /** A TOML file's text (UTF-8). */
    static String toml(Path file) {
        return decode(file, read(file), false);
    }

    private static byte[] read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                int[] lc = lineColumn(new String(bytes, 0, MAX_BYTES, StandardCharsets.ISO_8859_1), MAX_BYTES);
                throw new ConfigException(file, lc[0], lc[1], "file too large: over " + (MAX_BYTES >> 20)
                        + " MiB; not read further");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, "cannot read: no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(file, "cannot read: permission denied");
        } catch (IOException e) {
            throw new ConfigException(file, "cannot read: " + (Files.isDirectory(file) ? "is a directory"
                    : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage())));
        }
    }

    /** Decodes {@code bytes}; malformed input is an error at its line and column (1-based, in characters). */
    static String decode(Path file, byte[] bytes, boolean yamlBoms) {
        Charset cs = StandardCharsets.UTF_8;
        int skip = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            skip = 3;
        } else if (yamlBoms && bytes.length >= 2 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE) {
            cs = StandardCharsets.UTF_16LE;
            skip = 2;
        } else if (yamlBoms && bytes.length >= 2 && (bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF) {
            cs = StandardCharsets.UTF_16BE;
            skip = 2;
        }
        CharsetDecoder decoder = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, skip, bytes.length - skip);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        out.flip();
        if (result.isError()) {
            String before = out.toString();
            int[] lc = lineColumn(before, before.length());
            int at = in.position();
            String what = at < bytes.length ? String.format(Locale.ROOT, "byte 0x%02X at offset %d", bytes[at] & 0xff, at)
                    : "the end of the file";
            throw new ConfigException(file, lc[0], lc[1], "not valid " + name(cs) + " text: " + what
                    + (cs == StandardCharsets.UTF_8 && yamlBoms ? " (K3s rejects it too; save the file as UTF-8)"
                    : ""));
        }
        return out.toString();
    }

    private static String name(Charset cs) {
        return cs == StandardCharsets.UTF_8 ? "UTF-8" : cs == StandardCharsets.UTF_16LE ? "UTF-16LE" : "UTF-16BE";
    }

    /** 1-based {line, column} of character index {@code index} of {@code text} (\n, \r\n and \r end lines). */
    static int[] lineColumn(String text, int index) {
        int line = 1;
        int lineStart = 0;
        int end = Math.min(index, text.length());
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] {line, text.codePointCount(lineStart, end) + 1};
    }

    /** {line, column} of code point {@code codePoint} of {@code text}. */
    static int[] lineColumnOfCodePoint(String text, int codePoint) {
        int index = codePoint <= 0 ? 0 : text.offsetByCodePoints(0, Math.min(codePoint, text.codePointCount(0,
                text.length())));
        return lineColumn(text, index);
    }
}
