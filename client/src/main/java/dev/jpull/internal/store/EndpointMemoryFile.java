package dev.jpull.internal.store;

import dev.jpull.internal.registry.EndpointMemory;
import dev.jpull.internal.registry.EndpointStats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The {@link EndpointMemory} on a JSON file ({@link EndpointMemoryCodec}), by default {@code STORE/state/endpoints.json}.
 * Shared by concurrent threads and processes: {@link #remember} reads, merges (the newer entry per endpoint wins)
 * and writes under an exclusive lock on the sibling {@code endpoints.json.lock}, and writes a temporary file in the
 * same directory renamed over the file, so {@link #recall} reads without a lock and never sees half a file.
 *
 * <p>The file is hostile input: at most {@link #MAX_BYTES} are read, neither the file nor its directory is used
 * through a symbolic link (or when the directory is writable by every user), and every entry is checked. Nothing
 * here fails a pull: a file that cannot be used is ignored, one that cannot be written is not written, with one warning
 * per instance (an instance serves one pull); a corrupt file is replaced at the next write.
 */
public final class EndpointMemoryFile implements EndpointMemory {
    /** How long an entry is used, unless configured otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    /** Largest file read; a larger one is ignored. */
    static final int MAX_BYTES = 1 << 20;
    /** Longest wait for another process's lock before this pull's observations are dropped. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(10);

    /** A {@link FileLock} excludes other processes only: threads of this one take this lock first. */
    private static final KeyedLocks<Path> IN_PROCESS = new KeyedLocks<>();

    /** Memory files whose lock this JVM's threads hold or wait for now (tests). */
    static int inUse() {
        return IN_PROCESS.inUse();
    }

    private final Path file;
    private final Path dir;
    private final long ttlMillis;
    private final Clock clock;
    private final Consumer<String> warnings;
    /** At most one warning per instance (per pull): the first problem found says what is wrong. */
    private final AtomicBoolean warned = new AtomicBoolean();
    private final boolean createParents;

    /**
     * @param file     the memory file; its directory is created {@code rwx------} when missing
     * @param ttl      how long an entry is used (positive)
     * @param clock    the time entries are stamped and expired with
     * @param warnings where the one-line warnings go (a pull's {@code PullListener#warning})
     */
    public EndpointMemoryFile(Path file, Duration ttl, Clock clock, Consumer<String> warnings) {
        this(file, ttl, clock, warnings, true);
    }

    /**
     * As above; with {@code createParents} false the directory above {@code state/} (the store) is never created:
     * a pull into a store that did not store anything leaves no store behind just to remember endpoints.
     */
    public EndpointMemoryFile(Path file, Duration ttl, Clock clock, Consumer<String> warnings,
                              boolean createParents) {
        this.createParents = createParents;
        this.file = file.toAbsolutePath().normalize();
        this.dir = Objects.requireNonNull(this.file.getParent(), "file has no directory");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("endpoint memory ttl must be positive: " + ttl);
        }
        this.ttlMillis = ttl.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /** The conventional file of a store: {@code STORE/state/endpoints.json}. */
    public static Path inStore(Path store) {
        return store.resolve("state").resolve("endpoints.json");
    }

    @Override
    public Map<String, EndpointStats> recall() {
        try {
            return Map.copyOf(read().entries());
        } catch (Unusable e) {
            warnOnce(e.getMessage());
        } catch (IOException | RuntimeException e) {
            warnOnce("endpoint memory " + file + " ignored: " + StoreFiles.reason(asIo(e)));
        }
        return Map.of();
    }

    @Override
    public void remember(Collection<EndpointStats> seen) {
        long now = clock.millis();
        List<EndpointStats> valid = seen.stream()
                .filter(s -> EndpointMemoryCodec.problem(s, now, ttlMillis) == null).toList();
        boolean interrupted = Thread.interrupted(); // an interrupted pull still saves what it saw (channels would close)
        try {
            if (!directory(!valid.isEmpty())) {
                return; // no directory and nothing to write: leave nothing behind
            }
            try (KeyedLocks<Path>.Held inProcess = IN_PROCESS.lock(dir.toRealPath().resolve(file.getFileName()))) {
                Path lockPath = dir.resolve(file.getFileName() + ".lock");
                StoreFiles.Entry planted = StoreFiles.stat(lockPath);
                if (planted != null && (planted.link() || !planted.regular())) { // a FIFO would block the open
                    throw new Unusable("endpoint memory not saved: " + lockPath + " is not a regular file; jpull "
                            + "does not use what it did not create there; remove it", false);
                }
                try (FileChannel lockFile = FileChannel.open(lockPath,
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                     FileLock lock = lock(lockFile)) {
                    if (lock == null) {
                        warnOnce("endpoint memory not saved to " + file + ": its lock is held by "
                                + "another process for more than " + LOCK_WAIT.toSeconds() + " s");
                        return;
                    }
                    mergeAndWrite(valid);
                }
            }
        } catch (Unusable e) {
            warnOnce(e.getMessage());
        } catch (IOException | RuntimeException e) {
            warnOnce("endpoint memory not saved to " + file + ": " + StoreFiles.reason(asIo(e)));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Under the lock: the file as it is now, {@code seen} merged in, written when anything changed. */
    private void mergeAndWrite(List<EndpointStats> seen) throws IOException {
        EndpointMemoryCodec.Parsed current;
        boolean exists = StoreFiles.stat(file) != null;
        try {
            current = read();
        } catch (Unusable e) {
            if (!e.replaceable) {
                throw e;
            }
            warnOnce(e.getMessage());
            current = new EndpointMemoryCodec.Parsed(Map.of(), 1);
        }
        if (seen.isEmpty() && current.dropped() == 0) {
            return; // nothing new, nothing expired
        }
        Map<String, EndpointStats> merged = EndpointMemoryCodec.newest(EndpointMemoryCodec.merge(current.entries(), seen));
        if (merged.isEmpty() && !exists) {
            return;
        }
        StoreFiles.writeAtomically(file, EndpointMemoryCodec.write(merged.values()));
    }

    /** The file's usable entries; an absent file or directory holds none. */
    private EndpointMemoryCodec.Parsed read() throws IOException {
        long now = clock.millis();
        if (!directory(false)) {
            return new EndpointMemoryCodec.Parsed(Map.of(), 0);
        }
        StoreFiles.Entry e = StoreFiles.stat(file);
        if (e == null) {
            return new EndpointMemoryCodec.Parsed(Map.of(), 0);
        }
        String problem = e.unexpected();
        if (problem != null) {
            throw new Unusable("endpoint memory " + file + " ignored: it " + problem
                    + "; jpull does not use what it did not create there; remove it", !e.link() && !e.directory());
        }
        if (e.size() > MAX_BYTES) {
            throw new Unusable(ignored("larger than " + (MAX_BYTES >> 20) + " MiB"), true);
        }
        byte[] bytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             InputStream in = Channels.newInputStream(ch)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (java.nio.file.NoSuchFileException gone) {
            return new EndpointMemoryCodec.Parsed(Map.of(), 0);
        }
        if (bytes.length > MAX_BYTES) {
            throw new Unusable(ignored("larger than " + (MAX_BYTES >> 20) + " MiB"), true);
        }
        try {
            return EndpointMemoryCodec.parse(bytes, now, ttlMillis);
        } catch (EndpointMemoryCodec.Corrupt c) {
            throw new Unusable(ignored(c.getMessage()), true);
        }
    }

    /**
     * Whether the file's directory is there and usable; when {@code create}, it is made ({@code rwx------}, its
     * parents as usual) when missing. A link, a non-directory or a directory every user may write is unusable.
     */
    private boolean directory(boolean create) throws IOException {
        StoreFiles.Entry e = StoreFiles.stat(dir);
        if (e == null) {
            if (!create || !createParents && StoreFiles.stat(dir.getParent()) == null) {
                return false;
            }
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir);
                StoreFiles.setMode(dir, PosixFilePermissions.fromString("rwx------"));
                return true;
            } catch (FileAlreadyExistsException race) {
                e = StoreFiles.stat(dir);
            }
        }
        if (e == null || e.link() || !e.directory()) {
            throw new Unusable("endpoint memory directory " + dir + (e != null && e.link() ? " is a symbolic link"
                    : " is not a directory") + ": jpull does not use what it did not create; remove it", false);
        }
        if (e.worldWritable()) {
            throw new Unusable("endpoint memory directory " + dir + " is writable by every user: run chmod o-w on it",
                    false);
        }
        return true;
    }

    /** The exclusive lock, waiting at most {@link #LOCK_WAIT}; null when another process keeps it. */
    private static FileLock lock(FileChannel ch) throws IOException {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        while (true) {
            try {
                FileLock lock = ch.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException sameProcessOtherPath) {
                // this process locks it under another name (a linked store root): wait as for another process
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // interrupted while waiting: give up
                return null;
            }
        }
    }

    /** The warning for a file the next write replaces. */
    private String ignored(String why) {
        return "endpoint memory " + file + " ignored: " + why + " (it is replaced after the next pull)";
    }

    private void warnOnce(String message) {
        if (warned.compareAndSet(false, true)) {
            warnings.accept(message);
        }
    }

    private static IOException asIo(Exception e) {
        return e instanceof IOException io ? io
                : e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }

    /** A file or directory that is not used; {@code replaceable} when the next write may replace it. */
    private static final class Unusable extends IOException {
        final boolean replaceable;

        Unusable(String message, boolean replaceable) {
            super(message);
            this.replaceable = replaceable;
        }
    }
}
