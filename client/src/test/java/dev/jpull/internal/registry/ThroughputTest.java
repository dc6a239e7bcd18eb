package dev.jpull.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-endpoint rate {@link BodyWatch} moves bodies by, on a synthetic clock. */
class ThroughputTest {
    private static final long TICK = 100_000_000L;

    @Test
    void aRateCountsOnlyAfterEnoughTicksAndCoversTheLastSecond() {
        Throughput t = new Throughput();
        long now = 0;
        for (int i = 0; i <= Throughput.MIN_SAMPLES - 1; i++) {
            t.add(100_000);
            assertThat(t.sample(now += TICK, true)).isFalse();
        }
        assertThat(t.rate()).isEqualTo(-1);
        for (int i = 0; i < 20; i++) {
            t.add(100_000); // 1 MB/s
            t.sample(now += TICK, true);
        }
        assertThat(t.rate()).isEqualTo(1_000_000.0);
        for (int i = 0; i < Throughput.WINDOW; i++) {
            t.add(10_000); // the endpoint slows to 100 kB/s: a second later the old rate is gone
            t.sample(now += TICK, true);
        }
        assertThat(t.rate()).isEqualTo(100_000.0);
    }

    @Test
    void anIdleEndpointKeepsItsRateAndStartsANewWindowWithItsNextBody() {
        Throughput t = new Throughput();
        long now = 0;
        for (int i = 0; i < 6; i++) {
            t.add(50_000);
            t.sample(now += TICK, true);
        }
        double before = t.rate();
        assertThat(t.sample(now += 10 * TICK, false)).isFalse();
        assertThat(t.rate()).isEqualTo(before);
        t.add(1_000_000);
        assertThat(t.sample(now += TICK, true)).as("one sample is no window").isFalse();
        assertThat(t.rate()).isEqualTo(before);
    }

    @Test
    void aBodyThatEndsBetweenTicksMeasuresItsEndpointWhenLongEnough() {
        Throughput t = new Throughput();

        assertThat(t.bodyEnded(Throughput.MEASURABLE - 1, 1_000_000)).isFalse();
        assertThat(t.rate()).isEqualTo(-1);
        assertThat(t.bodyEnded(400_000, 10_000_000)).isTrue(); // 400 kB in 10 ms
        assertThat(t.rate()).isEqualTo(40_000_000.0);
    }

    @Test
    void aRateIsSettledOnlyOnceItsWindowSpansAFullSecondAgainEachNewBody() {
        Throughput t = new Throughput();
        long now = 0;
        for (int i = 0; i <= Throughput.WINDOW; i++) {
            assertThat(t.settled()).as("tick %d", i).isFalse();
            t.add(1000);
            t.sample(now += 100_000_000L, true);
        }
        assertThat(t.settled()).isTrue();
        assertThat(t.rate()).isPositive();
        t.sample(now += 100_000_000L, false); // idle: the next body starts a new window
        t.sample(now += 100_000_000L, true);
        assertThat(t.settled()).isFalse();
    }
}
