package dev.jpull.internal.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * JVM-wide locks by key (a lock file's real path) that are forgotten as soon as no thread holds or waits for them.
 * A {@code FileLock} excludes other processes only, so threads of this JVM first take the lock of the same key
 * here. A long-lived process ({@code jpull serve}, {@code jpull daemon}) pulls ever new blobs into many stores: a
 * map that kept one lock per key ever used would grow for as long as it runs. Here an entry lives while it has
 * users (holders and waiters), so the map holds only the locks in use.
 *
 * @param <K> the key; equal keys share one lock
 */
final class KeyedLocks<K> {
    private final ConcurrentHashMap<K, Entry> entries = new ConcurrentHashMap<>();

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        /** Threads that hold or wait for {@link #lock}; changed only inside the map's atomic compute. */
        int users;
    }

    /** The lock of {@code key}, held by the calling thread until {@link Held#close()}; waits uninterruptibly. */
    Held lock(K key) {
        Entry e = retain(key);
        e.lock.lock();
        return new Held(key, e);
    }

    /**
     * The lock of {@code key}, held by the calling thread until {@link Held#close()}.
     *
     * @throws InterruptedException when interrupted while waiting (nothing is then held)
     */
    Held lockInterruptibly(K key) throws InterruptedException {
        Entry e = retain(key);
        try {
            e.lock.lockInterruptibly();
        } catch (InterruptedException ex) {
            release(key);
            throw ex;
        }
        return new Held(key, e);
    }

    /** The lock of {@code key} if no thread holds it now, the calling one included; else null (never waits). */
    Held tryLock(K key) {
        Entry e = retain(key);
        if (e.lock.isHeldByCurrentThread() || !e.lock.tryLock()) {
            release(key);
            return null;
        }
        return new Held(key, e);
    }

    /** How many keys have a holder or a waiter now (tests: nothing is kept once every lock is released). */
    int inUse() {
        return entries.size();
    }

    private Entry retain(K key) {
        return entries.compute(key, (k, e) -> {
            Entry entry = e == null ? new Entry() : e;
            entry.users++;
            return entry;
        });
    }

    private void release(K key) {
        entries.computeIfPresent(key, (k, e) -> --e.users == 0 ? null : e);
    }

    /** One thread's hold of one key's lock; closed once, by that thread. */
    final class Held implements AutoCloseable {
        private final K key;
        private final Entry entry;
        private boolean closed;

        private Held(K key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            entry.lock.unlock();
            release(key);
        }
    }
}
