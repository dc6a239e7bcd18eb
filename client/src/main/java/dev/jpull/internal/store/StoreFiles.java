package dev.jpull.internal.store;

import dev.jpull.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The store's file operations, none of which follows a symbolic link inside the store: every file is created with
 * {@code O_CREAT|O_EXCL} or opened with {@code O_NOFOLLOW} after checking (without following links) that it is a
 * regular file owned by this process's user; what is not is removed when it is jpull's disposable staging
 * ({@code ingest/}, temporary files) and refused otherwise. Files are made {@code rw-r--r--} and directories
 * {@code rwxr-xr-x}, whatever the umask. Failures are {@link StoreException}s naming the file.
 */
final class StoreFiles {
    /** Largest {@code index.json}, manifest or config jpull reads back from the store. */
    static final long MAX_METADATA_BYTES = 16L * 1024 * 1024;

    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int UID = processUid();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RETRIES = 5;

    private StoreFiles() {
    }

    /** What {@code lstat} says about a path. {@code uid} is -1 where the file system does not tell. */
    record Entry(boolean regular, boolean link, boolean directory, long size, int uid, int mode, Object key) {
        /** Null for a regular file of this process's user, else what is wrong ("is a symbolic link", ...). */
        String unexpected() {
            if (link) {
                return "is a symbolic link";
            }
            if (directory) {
                return "is a directory";
            }
            if (!regular) {
                return "is not a regular file";
            }
            if (UID >= 0 && uid >= 0 && uid != UID) {
                return "is owned by uid " + uid + ", not by this process's uid " + UID;
            }
            return null;
        }

        boolean worldWritable() {
            return (mode & 0002) != 0;
        }
    }

    /** The uid the process runs as (owner of {@code /proc/self}); -1 where that cannot be found out. */
    private static int processUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code lstat(path)}, or null when nothing is there. */
    static Entry stat(Path path) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(path,
                    "unix:uid,mode,size,fileKey,isRegularFile,isDirectory,isSymbolicLink", NOFOLLOW);
            return new Entry((Boolean) a.get("isRegularFile"), (Boolean) a.get("isSymbolicLink"),
                    (Boolean) a.get("isDirectory"), (Long) a.get("size"), (Integer) a.get("uid"),
                    (Integer) a.get("mode"), a.get("fileKey"));
        } catch (NoSuchFileException e) {
            return null;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            try {
                BasicFileAttributes b = Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
                return new Entry(b.isRegularFile(), b.isSymbolicLink(), b.isDirectory(), b.size(), -1, 0,
                        b.fileKey());
            } catch (NoSuchFileException gone) {
                return null;
            }
        }
    }

    /** A new file (never an existing one, never through a link), {@code rw-r--r--}, open for reading and writing. */
    static FileChannel createNew(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, NOFOLLOW);
        try {
            setMode(path, FILE_MODE);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return ch;
    }

    /**
     * Opens {@code path} for reading and writing, creating it when missing. When something unexpected is there (a
     * link, a directory, a file of another user) it is removed and replaced by a new file if {@code disposable},
     * else refused with a {@link StoreException}.
     */
    static FileChannel openOrCreate(Path path, boolean disposable) throws IOException {
        for (int i = 0; ; i++) {
            Entry e = stat(path);
            if (e == null) {
                try {
                    return createNew(path);
                } catch (FileAlreadyExistsException race) {
                    continue;
                }
            }
            String problem = e.unexpected();
            if (problem != null) {
                if (!disposable || i >= RETRIES) {
                    throw refused(path, problem);
                }
                removeTree(path);
                continue;
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, NOFOLLOW);
            } catch (NoSuchFileException race) {
                continue;
            }
            Entry now = stat(path);
            if (now != null && Objects.equals(now.key(), e.key()) || e.key() == null) {
                return ch;
            }
            ch.close(); // replaced between the check and the open: look again
            if (i >= RETRIES) {
                throw refused(path, "keeps being replaced while jpull opens it");
            }
        }
    }

    /** A new uniquely named {@code rw-r--r--} file in {@code dir} holding {@code bytes} (forced to disk). */
    static Path writeTemp(Path dir, String prefix, byte[] bytes) throws IOException {
        while (true) {
            Path temp = dir.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            FileChannel ch;
            try {
                ch = createNew(temp);
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            try (ch) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            return temp;
        }
    }

    /** Writes {@code bytes} to a new temp file beside {@code target}, then renames it over {@code target}. */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = writeTemp(target.getParent(), target.getFileName() + ".", bytes);
        try {
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Renames {@code source} (which must be a regular file, never a link) to {@code target}; a rename replaces a
     * link at {@code target} without following it. Atomic; a plain replacing move only where the file system
     * cannot rename atomically.
     */
    static void move(Path source, Path target) throws IOException {
        Entry s = stat(source);
        if (s == null) {
            throw new NoSuchFileException(source.toString());
        }
        if (!s.regular() || s.link()) {
            throw refused(source, s.unexpected());
        }
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** Opens the regular file {@code path} for reading, never through a link; null when it is absent. */
    static FileChannel openRead(Path path) throws IOException {
        Entry e = stat(path);
        if (e == null) {
            return null;
        }
        if (e.link() || !e.regular()) {
            throw refused(path, e.link() ? "is a symbolic link" : "is not a regular file");
        }
        try {
            return FileChannel.open(path, StandardOpenOption.READ, NOFOLLOW);
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    /**
     * The whole of the regular file {@code path}, at most {@link #MAX_METADATA_BYTES}; null when it is absent.
     *
     * @throws StoreException when it is larger, a link or not a regular file
     */
    static byte[] readBounded(Path path) throws IOException {
        FileChannel ch = openRead(path);
        if (ch == null) {
            return null;
        }
        try (ch; InputStream in = Channels.newInputStream(ch)) {
            byte[] bytes = in.readNBytes((int) MAX_METADATA_BYTES + 1);
            if (bytes.length > MAX_METADATA_BYTES) {
                throw new StoreException(path + " is larger than jpull reads (" + (MAX_METADATA_BYTES >> 20)
                        + " MiB): remove or repair it");
            }
            return bytes;
        }
    }

    /**
     * Makes sure {@code dir} is a real directory that not every user may write to, creating it ({@code rwxr-xr-x})
     * when missing. A link in its place is replaced by a directory if {@code disposable}, else refused.
     */
    static void ensureDirectory(Path dir, boolean disposable) throws IOException {
        Entry e = stat(dir);
        if (e != null && e.link() && disposable) {
            Files.delete(dir);
            e = null;
        }
        if (e == null) {
            try {
                Files.createDirectory(dir);
                setMode(dir, DIR_MODE);
            } catch (FileAlreadyExistsException race) {
                ensureDirectory(dir, false);
            }
            return;
        }
        if (e.link() || !e.directory()) {
            throw refused(dir, e.link() ? "is a symbolic link" : "is not a directory");
        }
        requireNotWorldWritable(dir, e);
    }

    /** Refuses a directory every user may write to: anyone could plant files in the store. */
    static void requireNotWorldWritable(Path dir, Entry e) {
        if (e.worldWritable()) {
            throw new StoreException("store directory " + dir + " is writable by every user (mode "
                    + String.format("%04o", e.mode() & 07777) + "): run chmod o-w on it");
        }
    }

    /** Removes {@code path}: a link itself (never its target), a file, or a directory tree (links in it as links). */
    static void removeTree(Path path) throws IOException {
        Entry e = stat(path);
        if (e == null) {
            return;
        }
        if (!e.directory() || e.link()) {
            Files.deleteIfExists(path);
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Sets {@code path}'s permissions without following a link (POSIX file systems only). */
    static void setMode(Path path, Set<PosixFilePermission> mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, NOFOLLOW);
        if (view != null) {
            view.setPermissions(mode);
        }
    }

    /** "PATH REASON: jpull does not follow or overwrite what it did not create there; remove it". */
    static StoreException refused(Path path, String problem) {
        return new StoreException(path + " " + problem + ": jpull does not use what it did not create in the store;"
                + " remove it");
    }

    /** One line for a failed file operation: {@code cannot VERB PATH: REASON}. */
    static StoreException failure(String verb, Path path, IOException e) {
        return new StoreException("cannot " + verb + " " + path + ": " + reason(e), e);
    }

    /** The OS's reason, without the path the JDK repeats ("No space left on device", "permission denied"). */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        if (reason == null || reason.isBlank()) {
            return e.getClass().getSimpleName();
        }
        if (reason.contains("symbolic links")) {
            return "it is a symbolic link (jpull does not follow links in the store; remove it)";
        }
        return reason;
    }
}
