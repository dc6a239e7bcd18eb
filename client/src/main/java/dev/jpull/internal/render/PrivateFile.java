package dev.jpull.internal.render;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Rendered files that hold credentials: never readable by others, not even for a moment. */
final class PrivateFile {
    private PrivateFile() {
    }

    /** Writes {@code text} to a new {@code file} created with mode 0600 (an existing one is replaced). */
    static void write(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system: the default mode
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
