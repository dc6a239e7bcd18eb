package dev.jpull.internal.serve;

import dev.jpull.internal.store.OciDestination;
import dev.jpull.spi.BlobDescriptor;
import dev.jpull.spi.BlobStatus;
import dev.jpull.spi.BlobWriter;
import dev.jpull.spi.Destination;
import dev.jpull.spi.PulledImage;
import java.util.Optional;

/**
 * The store, seen by the download of one blob that clients read while it arrives: every write, truncation and
 * discard of the blob's writer is reported to its {@link Feed} after the store has done it (the commit is
 * reported by {@link Downloads}, which knows the endpoint that served it), so a reader never
 * waits for bytes that are not in the partial file yet, and never sends bytes of a generation that was thrown away.
 */
final class FeedDestination implements Destination {
    private final OciDestination store;
    private final Feed feed;

    FeedDestination(OciDestination store, Feed feed) {
        this.store = store;
        this.feed = feed;
    }

    @Override
    public BlobStatus stat(BlobDescriptor blob, boolean rehash) {
        return store.stat(blob, rehash);
    }

    @Override
    public BlobWriter openWriter(BlobDescriptor blob) {
        BlobWriter writer = store.openWriter(blob);
        return blob.digest().equals(feed.blob().digest()) ? new Reporting(writer) : writer;
    }

    @Override
    public void remove(String digest) {
        store.remove(digest);
    }

    @Override
    public Optional<byte[]> read(String digest) {
        return store.read(digest);
    }

    @Override
    public void recordImage(PulledImage image) {
        throw new UnsupportedOperationException("the mirror records no images");
    }

    private final class Reporting implements BlobWriter {
        private final BlobWriter writer;

        Reporting(BlobWriter writer) {
            this.writer = writer;
        }

        @Override
        public BlobDescriptor blob() {
            return writer.blob();
        }

        @Override
        public long offset() {
            long offset = writer.offset(); // opens the partial file on first use
            feed.wrote(offset);
            return offset;
        }

        @Override
        public void write(byte[] bytes, int off, int len) {
            writer.write(bytes, off, len);
            feed.wrote(writer.offset());
        }

        @Override
        public void truncate() {
            writer.truncate();
            feed.truncated();
        }

        @Override
        public String digest() {
            return writer.digest();
        }

        @Override
        public void commit(String expectedDigest, long expectedSize) {
            writer.commit(expectedDigest, expectedSize); // the download reports it, with the endpoint, right after
        }

        @Override
        public void abort() {
            writer.abort();
            feed.truncated();
        }

        @Override
        public void close() {
            writer.close();
        }
    }
}
