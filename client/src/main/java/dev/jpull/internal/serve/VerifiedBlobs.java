package dev.jpull.internal.serve;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stored blobs this server has hashed in full and found right, each as digest, size and modification time (a file
 * rewritten since is another entry, and hashed again). Bounded: a server that runs for months serves ever new
 * blobs, so at most {@code capacity} are kept, the least recently used forgotten first; a forgotten blob costs one
 * more hash on its next full read, nothing else.
 */
final class VerifiedBlobs {
    static final int CAPACITY = 4096;

    private final Map<String, Boolean> entries;

    VerifiedBlobs() {
        this(CAPACITY);
    }

    VerifiedBlobs(int capacity) {
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized boolean contains(String digest, long size, long modified) {
        return entries.get(key(digest, size, modified)) != null; // get: counts as a use
    }

    synchronized void add(String digest, long size, long modified) {
        entries.put(key(digest, size, modified), Boolean.TRUE);
    }

    /** The same verified file under a new modification time (set by this server), the old one forgotten. */
    synchronized void moved(String digest, long size, long from, long to) {
        if (entries.remove(key(digest, size, from)) != null) {
            entries.put(key(digest, size, to), Boolean.TRUE);
        }
    }

    synchronized int size() {
        return entries.size();
    }

    private static String key(String digest, long size, long modified) {
        return digest + ' ' + size + ' ' + modified;
    }
}
