package dev.jpull.internal.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
    @Test
    void oneRangeAsContainerdResumes() throws Exception {
        assertThat(ByteRange.of("bytes=100-", 1000)).isEqualTo(new ByteRange(100, 1000));
        assertThat(ByteRange.of("bytes=0-9", 1000)).isEqualTo(new ByteRange(0, 10));
        assertThat(ByteRange.of("bytes=990-5000", 1000)).isEqualTo(new ByteRange(990, 1000));
        assertThat(new ByteRange(100, 1000).contentRange(1000)).isEqualTo("bytes 100-999/1000");
    }

    @Test
    void otherFormsMeanTheWholeBlob() throws Exception {
        assertThat(ByteRange.of(null, 1000)).isNull();
        assertThat(ByteRange.of("bytes=-100", 1000)).isNull();
        assertThat(ByteRange.of("bytes=0-1,5-9", 1000)).isNull();
        assertThat(ByteRange.of("bytes=9-1", 1000)).isNull();
        assertThat(ByteRange.of("items=0-1", 1000)).isNull();
        assertThat(ByteRange.of("bytes=99999999999999999999-", 1000)).isNull();
    }

    @Test
    void aRangePastTheEndIsUnsatisfiable() {
        assertThatThrownBy(() -> ByteRange.of("bytes=1000-", 1000)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }
}
