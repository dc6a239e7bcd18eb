package dev.jpull.internal.serve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@code jpull serve} remembers of the blobs it hashed: bounded, least recently used forgotten first. */
class VerifiedBlobsTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);
    private static final String D = "sha256:" + "d".repeat(64);

    @Test
    void aFileIsKnownByDigestSizeAndModificationTime() {
        VerifiedBlobs v = new VerifiedBlobs();
        v.add(A, 10, 1000);
        assertThat(v.contains(A, 10, 1000)).isTrue();
        assertThat(v.contains(A, 10, 1001)).as("rewritten since").isFalse();
        assertThat(v.contains(A, 11, 1000)).isFalse();
        assertThat(v.contains(B, 10, 1000)).isFalse();
    }

    @Test
    void atMostCapacityAreKeptTheLeastRecentlyUsedGoFirst() {
        VerifiedBlobs v = new VerifiedBlobs(3);
        v.add(A, 1, 1);
        v.add(B, 1, 1);
        v.add(C, 1, 1);
        assertThat(v.contains(A, 1, 1)).isTrue(); // A used: B is now the eldest
        v.add(D, 1, 1);

        assertThat(v.size()).isEqualTo(3);
        assertThat(v.contains(B, 1, 1)).isFalse();
        assertThat(v.contains(A, 1, 1)).isTrue();
        assertThat(v.contains(C, 1, 1)).isTrue();
        assertThat(v.contains(D, 1, 1)).isTrue();
    }

    @Test
    void aManyMonthsServerKeepsOnlyTheCapacity() {
        VerifiedBlobs v = new VerifiedBlobs();
        for (int i = 0; i < VerifiedBlobs.CAPACITY * 3; i++) {
            v.add(String.format("sha256:%064x", i), i, i);
        }
        assertThat(v.size()).isEqualTo(VerifiedBlobs.CAPACITY);
    }

    @Test
    void aRefreshedFileStaysVerifiedUnderItsNewTimeOnly() {
        VerifiedBlobs v = new VerifiedBlobs();
        v.add(A, 10, 1000);
        v.moved(A, 10, 1000, 5000);
        assertThat(v.contains(A, 10, 5000)).isTrue();
        assertThat(v.contains(A, 10, 1000)).isFalse();
        assertThat(v.size()).isEqualTo(1);

        v.moved(B, 10, 1000, 5000); // never verified: a new time does not make it so
        assertThat(v.contains(B, 10, 5000)).isFalse();
    }
}
